-- Builds `cloudtrail_logs` in DuckDB with the columns of AWS's documented Athena CloudTrail
-- table, from S3-layout deliveries. Replace {{GLOB}} with e.g. 'AWSLogs/**/*.json.gz'.
CREATE OR REPLACE TABLE cloudtrail_logs AS
WITH records AS (
  SELECT unnest(Records) AS r
  FROM read_json({{GLOB}}, columns = {'Records': 'JSON[]'}, format = 'auto', maximum_object_size = 134217728)
)
SELECT
  r->>'$.eventVersion' AS eventversion,
  struct_pack(
    type := r->>'$.userIdentity.type',
    principalid := r->>'$.userIdentity.principalId',
    arn := r->>'$.userIdentity.arn',
    accountid := r->>'$.userIdentity.accountId',
    invokedby := r->>'$.userIdentity.invokedBy',
    accesskeyid := r->>'$.userIdentity.accessKeyId',
    username := r->>'$.userIdentity.userName',
    sessioncontext := struct_pack(
      attributes := struct_pack(
        mfaauthenticated := r->>'$.userIdentity.sessionContext.attributes.mfaAuthenticated',
        creationdate := r->>'$.userIdentity.sessionContext.attributes.creationDate'),
      sessionissuer := struct_pack(
        type := r->>'$.userIdentity.sessionContext.sessionIssuer.type',
        principalid := r->>'$.userIdentity.sessionContext.sessionIssuer.principalId',
        arn := r->>'$.userIdentity.sessionContext.sessionIssuer.arn',
        accountid := r->>'$.userIdentity.sessionContext.sessionIssuer.accountId',
        username := r->>'$.userIdentity.sessionContext.sessionIssuer.userName'))) AS useridentity,
  r->>'$.eventTime' AS eventtime,
  r->>'$.eventSource' AS eventsource,
  r->>'$.eventName' AS eventname,
  r->>'$.awsRegion' AS awsregion,
  r->>'$.sourceIPAddress' AS sourceipaddress,
  r->>'$.userAgent' AS useragent,
  r->>'$.errorCode' AS errorcode,
  r->>'$.errorMessage' AS errormessage,
  CAST(r->'$.requestParameters' AS VARCHAR) AS requestparameters,
  CAST(r->'$.responseElements' AS VARCHAR) AS responseelements,
  r->>'$.requestID' AS requestid,
  r->>'$.eventID' AS eventid,
  r->>'$.eventType' AS eventtype,
  r->>'$.recipientAccountId' AS recipientaccountid,
  r->>'$.sharedEventID' AS sharedeventid
FROM records;
