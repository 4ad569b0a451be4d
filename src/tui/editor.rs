//! Editing text in a prompt with a cursor: insert and delete at it, move it by character,
//! word and line (a note has lines: `Alt-Enter` or `Ctrl-j` breaks one). Positions are byte
//! offsets on character boundaries.

use super::action::Action;

/// Applies an editing action to `text` at `cursor`; returns false for an action that is not
/// editing (the prompt decides what it means).
pub fn apply(text: &mut String, cursor: &mut usize, a: &Action, multiline: bool) -> bool {
    *cursor = (*cursor).min(text.len());
    let prev = |t: &str, c: usize| t[..c].char_indices().next_back().map_or(0, |(i, _)| i);
    let next = |t: &str, c: usize| t[c..].chars().next().map_or(c, |ch| c + ch.len_utf8());
    let line_start = |t: &str, c: usize| t[..c].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |t: &str, c: usize| t[c..].find('\n').map_or(t.len(), |i| c + i);
    match a {
        Action::Input(ch) => {
            text.insert(*cursor, *ch);
            *cursor += ch.len_utf8();
        }
        Action::Newline if multiline => {
            text.insert(*cursor, '\n');
            *cursor += 1;
        }
        Action::InputBackspace if *cursor > 0 => {
            let p = prev(text, *cursor);
            text.replace_range(p..*cursor, "");
            *cursor = p;
        }
        Action::DeleteForward if *cursor < text.len() => {
            let n = next(text, *cursor);
            text.replace_range(*cursor..n, "");
        }
        Action::CursorLeft => *cursor = prev(text, *cursor),
        Action::CursorRight => *cursor = next(text, *cursor),
        Action::LineStart => *cursor = line_start(text, *cursor),
        Action::LineEnd => *cursor = line_end(text, *cursor),
        Action::WordLeft => {
            let mut c = *cursor;
            while c > 0 && !is_word(text[prev(text, c)..].chars().next()) {
                c = prev(text, c);
            }
            while c > 0 && is_word(text[prev(text, c)..].chars().next()) {
                c = prev(text, c);
            }
            *cursor = c;
        }
        Action::WordRight => {
            let mut c = *cursor;
            while c < text.len() && !is_word(text[c..].chars().next()) {
                c = next(text, c);
            }
            while c < text.len() && is_word(text[c..].chars().next()) {
                c = next(text, c);
            }
            *cursor = c;
        }
        Action::Up | Action::Down if multiline => {
            let start = line_start(text, *cursor);
            let column = text[start..*cursor].chars().count();
            let target = if matches!(a, Action::Up) {
                if start == 0 {
                    return true;
                }
                line_start(text, start - 1)
            } else {
                let end = line_end(text, *cursor);
                if end == text.len() {
                    return true;
                }
                end + 1
            };
            let end = line_end(text, target);
            *cursor = text[target..end].char_indices().nth(column).map_or(end, |(i, _)| target + i);
        }
        Action::InputBackspace | Action::DeleteForward => {}
        _ => return false,
    }
    true
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, cursor: usize, actions: &[Action]) -> (String, usize) {
        let (mut t, mut c) = (text.to_string(), cursor);
        for a in actions {
            apply(&mut t, &mut c, a, true);
        }
        (t, c)
    }

    #[test]
    fn the_cursor_moves_by_character_word_and_line() {
        use Action::*;
        assert_eq!(run("ab", 2, &[CursorLeft, Input('x')]), ("axb".into(), 2));
        assert_eq!(run("héllo wörld", 0, &[WordRight, WordRight]), ("héllo wörld".into(), "héllo wörld".len()));
        assert_eq!(run("one two", 7, &[WordLeft, Input('_')]), ("one _two".into(), 5));
        assert_eq!(run("line one", 4, &[Newline, Input('2')]), ("line\n2 one".into(), 6));
        assert_eq!(run("abc\nde", 6, &[Up]), ("abc\nde".into(), 2), "the same column a line up");
        assert_eq!(run("abc\nde", 3, &[Down]), ("abc\nde".into(), 6), "the line's end when shorter");
        assert_eq!(run("abc\nde", 5, &[LineStart, InputBackspace]), ("abcde".into(), 3));
        assert_eq!(run("abc", 0, &[DeleteForward, LineEnd, Input('!')]), ("bc!".into(), 3));
        assert_eq!(run("é", 2, &[InputBackspace]), (String::new(), 0), "a whole character");
    }
}
