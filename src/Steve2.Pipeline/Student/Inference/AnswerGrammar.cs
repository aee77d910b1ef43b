using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>
/// Decoding within the answer's grammar (STUDENT.md, "Playing"): at each step the tokens after which an actor's code
/// action or a conductor's directive can no longer parse, whatever follows, are not picked. The model still picks every
/// token; the grammar only takes away the ones no parse accepts, by the answer's shape alone:
/// <list type="bullet">
/// <item>an actor's call takes its canonical number of arguments (<see cref="CodeActionSyntax.Arity"/>: a comma after the
/// last one, a <c>)</c> before it and the end before the <c>)</c> are refused, and nothing but the end after it);</item>
/// <item>a conductor's directive ends only at a number of words its first word takes (<see cref="Directive.WordCounts"/>:
/// <c>place</c> 5 or 8, <c>goto</c> 4), and has no word beyond the most it takes;</item>
/// <item>a conductor's directive writes its numbers (<see cref="Directive.NumbersFrom"/>: the coordinates, counts and
/// steps) with digits, a sign and single spaces only.</item>
/// </list>
/// Why: 8 % of the shipped student's held-out creation actor answers did not parse, every one a box with a number too
/// many or too few (<c>placeBox("sandstone", -11, 56, 10, 2, 56, 56, 13)</c>), and its greedy retries wrote other
/// such boxes; the safe <c>wait()</c> then spent the turn. A directive's words were only counted until 2026-12-07, and a
/// conductor that dropped a number of <c>open 44 44 -46</c> wrote <c>open 44 -46\naheadanks</c>, a note's word for the last
/// number, six times (object search seed 88, a student of the notes-v11 branch). Manager plans and unknown names are not constrained.
/// </summary>
public sealed class AnswerGrammar
{
    private readonly int _eos;
    private readonly int[] _commas;      // commas in each token's text
    private readonly int[] _closeAfter;  // commas before the token's first ')', or -1 when it has none
    private readonly int[] _words;       // words each token starts (a separator followed by a word character)
    private readonly bool[] _separated;  // the token's text starts with a separator (whitespace, a comma or a bracket)
    private readonly bool[] _number;     // the token's text is digits, signs and spaces only: it may go into a directive's numbers
    private readonly bool[] _numberTail; // the token's text from its first separator on is: it may end a word and go on with numbers
    private readonly bool[] _numberAfterWord; // the same after its first word (leading separators skipped): it may write a word, then numbers

    /// <param name="eos">The end token's id.</param>
    /// <param name="texts">Each token's text, by id (the end token's is ignored).</param>
    public AnswerGrammar(int eos, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        _eos = eos;
        int n = texts.Count;
        _commas = new int[n];
        _closeAfter = new int[n];
        _words = new int[n];
        _separated = new bool[n];
        _number = new bool[n];
        _numberTail = new bool[n];
        _numberAfterWord = new bool[n];
        for (int t = 0; t < n; t++)
        {
            string s = texts[t];
            _number[t] = s.Length > 0 && IsNumberText(s);
            int separator = IndexOfSeparator(s, 0);
            _numberTail[t] = separator < 0 || IsNumberText(s[separator..]);
            int word = 0;
            while (word < s.Length && IsSeparator(s[word])) word++;
            int afterWord = IndexOfSeparator(s, word);
            _numberAfterWord[t] = afterWord < 0 || IsNumberText(s[afterWord..]);
            _commas[t] = s.Count(c => c == ',');
            int close = s.IndexOf(')');
            _closeAfter[t] = close < 0 ? -1 : s[..close].Count(c => c == ',');
            _separated[t] = s.Length > 0 && IsSeparator(s[0]);
            bool inWord = false;
            foreach (char c in s)
            {
                if (IsSeparator(c)) inWord = false;
                else if (!inWord) { inWord = true; _words[t]++; }
            }
        }
    }

    /// <summary>The grammar over a model's vocabulary: each token's text as the map decodes it alone.</summary>
    public static AnswerGrammar For(StudentTokenMap map, int vocabulary) =>
        new(map.Eos, Enumerable.Range(0, vocabulary).Select(t => t == map.Eos ? "" : map.Decode([t])).ToArray());

    /// <summary>Sets to -infinity the logits of the tokens that would leave <paramref name="written"/> (the answer so far) unparseable.</summary>
    public void Ban(string role, string written, Span<float> logits)
    {
        switch (role)
        {
            case "actor": BanCall(written, logits); break;
            case "conductor": BanDirective(written, logits); break;
        }
    }

    private void BanCall(string written, Span<float> logits)
    {
        int open = written.IndexOf('(');
        if (open < 0)
        {
            logits[_eos] = float.NegativeInfinity;   // no call yet
            return;
        }
        string inside = written[(open + 1)..];
        if (inside.Contains(')'))
        {
            for (int t = 0; t < logits.Length; t++) if (t != _eos) logits[t] = float.NegativeInfinity;   // the call is closed: only the end
            return;
        }
        logits[_eos] = float.NegativeInfinity;
        if (CodeActionSyntax.Arity(written[..open]) is not int arity) return;
        int needed = Math.Max(0, arity - 1), commas = inside.Count(c => c == ',');
        for (int t = 0; t < logits.Length; t++)
        {
            if (t == _eos) continue;
            bool bad = _closeAfter[t] >= 0 ? commas + _closeAfter[t] != needed : commas + _commas[t] > needed;
            if (bad) logits[t] = float.NegativeInfinity;
        }
    }

    private void BanDirective(string written, Span<float> logits)
    {
        string[] words = written.Split([' ', '\t', '\n', '\r', ',', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return;
        IReadOnlyList<int> counts = Directive.WordCounts(words[0].Trim('.', '`'));
        if (counts.Count == 0) return;
        if (!counts.Contains(words.Length)) logits[_eos] = float.NegativeInfinity;
        int most = counts[^1];
        bool open = written.Length > 0 && IsSeparator(written[^1]);   // the next word character starts a new word
        for (int t = 0; t < logits.Length; t++)
        {
            if (t == _eos || _words[t] == 0) continue;
            int added = _words[t] - (open || _separated[t] ? 0 : 1);   // a token that goes on with the last word adds one fewer
            if (words.Length + added > most) logits[t] = float.NegativeInfinity;
        }
        if (Directive.NumbersFrom(words[0].Trim('.', '`')) is not int from) return;
        int current = open ? words.Length : words.Length - 1;   // the word the next character goes into
        bool[]? allowed = current >= from ? _number
            : current == from - 1 ? (open ? _numberAfterWord : _numberTail)
            : null;
        if (allowed is null) return;
        for (int t = 0; t < logits.Length; t++)
            if (t != _eos && !allowed[t]) logits[t] = float.NegativeInfinity;
    }

    private static bool IsNumberText(string s) => s.All(c => c is ' ' or '-' or '+' || char.IsAsciiDigit(c));

    private static int IndexOfSeparator(string s, int from)
    {
        for (int i = from; i < s.Length; i++) if (IsSeparator(s[i])) return i;
        return -1;
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || c is ',' or '(' or ')';
}
