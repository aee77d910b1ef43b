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
/// last one, a <c>)</c> before it and the end before the <c>)</c> are refused, and nothing but the end after it), and each
/// argument is written as its kind is (<see cref="CodeActionSyntax.Arguments"/>): a number as spaces, a sign, digits, a
/// point and decimals, spaces, in that order, with a digit before the argument ends; a direction as a word; an item as a
/// name, quoted or bare;</item>
/// <item>a conductor's directive ends only at a number of words its first word takes (<see cref="Directive.WordCounts"/>:
/// <c>place</c> 5 or 8, <c>goto</c> 4), and has no word beyond the most it takes;</item>
/// <item>a conductor's directive writes its numbers (<see cref="Directive.NumbersFrom"/>: the coordinates, counts and
/// steps) with digits, a sign and single spaces only;</item>
/// <item>a number, in either, has at most <see cref="MaxDigits"/> digits before its point.</item>
/// </list>
/// Why: 8 % of the shipped student's held-out creation actor answers did not parse, every one a box with a number too
/// many or too few (<c>placeBox("sandstone", -11, 56, 10, 2, 56, 56, 13)</c>), and its greedy retries wrote other
/// such boxes; the safe <c>wait()</c> then spent the turn. A directive's words were only counted until 2026-12-07, and a
/// conductor that dropped a number of <c>open 44 44 -46</c> wrote <c>open 44 -46\naheadanks</c>, a note's word for the last
/// number, six times (object search seed 88, a student of the notes-v11 branch). An actor's numbers were free until the
/// same day: creation seed 20's actor, told <c>place oak_planks -5 54 2 -3 57 2</c>, spent its ten retries on boxes
/// ending <c>57irt -3)</c> or <c>57urn explore south...</c>, branches of its last number that no parse takes. Manager plans
/// and unknown names are not constrained. A grammar turns some refused answers into usable ones: held to a direction word,
/// object search seed 12's actor, told <c>open 4 42 -47</c> 6 blocks off, wrote <c>explore(north, 50)</c> for its refused
/// <c>explore(4, 50, ...</c>; the critic's concern about an explore within one walk (<see cref="Teacher.Critic.CheckExplore"/>)
/// came with it.
/// </summary>
public sealed class AnswerGrammar
{
    private readonly int _eos;
    private readonly int[] _commas;      // commas in each token's text
    private readonly int[] _closeAfter;  // commas before the token's first ')', or -1 when it has none
    private readonly int[] _words;       // words each token starts (a separator followed by a word character)
    private readonly bool[] _separated;  // the token's text starts with a separator (whitespace, a comma or a bracket)
    private readonly bool[] _number;     // the token's text is digits, signs and spaces only: it may go into a directive's numbers
    private readonly int[] _leadDigits;  // digits the token's text starts with
    private readonly int[] _mostDigits;  // the longest run of digits in the token's text
    private readonly bool[] _numberTail; // the token's text from its first separator on is: it may end a word and go on with numbers
    private readonly bool[] _numberAfterWord; // the same after its first word (leading separators skipped): it may write a word, then numbers
    private readonly int[][] _firstEnds;   // per argument kind and state: where the token's first piece (up to a ',' or ')') leaves it; -1: no such argument
    private readonly int[][] _restEnds;    // per later piece and argument kind: the state it ends in from an argument's start
    private readonly bool[] _endsPiece;     // the token's last piece is followed by a ')' (its other pieces by commas)

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
        _leadDigits = new int[n];
        _mostDigits = new int[n];
        _numberTail = new bool[n];
        _numberAfterWord = new bool[n];
        _firstEnds = new int[n][];
        _restEnds = new int[n][];
        _endsPiece = new bool[n];
        for (int t = 0; t < n; t++)
        {
            string s = texts[t];
            int end = s.IndexOf(')');
            string[] pieces = (end < 0 ? s : s[..end]).Split(',');
            _firstEnds[t] = Kinds.SelectMany(kind => Enumerable.Range(0, States).Select(state => Read(kind, state, pieces[0]))).ToArray();
            _restEnds[t] = pieces.Skip(1).SelectMany(p => Kinds.Select(kind => Read(kind, 0, p))).ToArray();
            _endsPiece[t] = end >= 0;
            _number[t] = s.Length > 0 && IsNumberText(s);
            _leadDigits[t] = s.TakeWhile(char.IsAsciiDigit).Count();
            for (int i = 0, run = 0; i < s.Length; i++) _mostDigits[t] = Math.Max(_mostDigits[t], run = char.IsAsciiDigit(s[i]) ? run + 1 : 0);
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
        if (CodeActionSyntax.Arguments(written[..open]) is not { } kinds) return;   // an unknown name: left to the parser
        int needed = Math.Max(0, kinds.Count - 1), commas = inside.Count(c => c == ',');
        int state = commas < kinds.Count ? Read(kinds[commas], 0, inside[(inside.LastIndexOf(',') + 1)..]) : 0;   // the argument written so far
        for (int t = 0; t < logits.Length; t++)
        {
            if (t == _eos) continue;
            bool bad = _closeAfter[t] >= 0 ? commas + _closeAfter[t] != needed : commas + _commas[t] > needed;
            // Each piece of the token goes into the argument its commas put it in and must go on writing it as its kind is;
            // an argument the token ends (a comma or the close after it) must be whole.
            int pieces = _restEnds[t].Length / Kinds.Length + 1;
            for (int j = 0; j < pieces && !bad && commas + j < kinds.Count; j++)
            {
                int kind = (int)kinds[commas + j];
                int ends = j > 0 ? _restEnds[t][(j - 1) * Kinds.Length + kind] : state < 0 ? -1 : _firstEnds[t][kind * States + state];
                bool closed = j < pieces - 1 || _endsPiece[t];
                bad = ends < 0 || (closed && !Whole((ArgumentKind)kind, ends));
            }
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
        // A number has at most MaxDigits digits: the word being written goes on with the token's first ones.
        int digits = !open && current >= from ? words[^1].Reverse().TakeWhile(char.IsAsciiDigit).Count() : 0;
        for (int t = 0; t < logits.Length; t++)
            if (t != _eos && (!allowed[t] || _mostDigits[t] > MaxDigits || digits + _leadDigits[t] > MaxDigits)) logits[t] = float.NegativeInfinity;
    }

    private static readonly ArgumentKind[] Kinds = Enum.GetValues<ArgumentKind>();

    // A number argument's states (Read): 0 leading spaces, 1 a sign, Digits + k for k + 1 digits of its whole part,
    // then a point, decimals and trailing spaces. States: the most any kind has.
    private const int Digits = 2, Point = Digits + MaxDigits, Decimals = Point + 1, Trailing = Decimals + 1, States = Trailing + 1;

    /// <summary>
    /// The most digits a number's whole part has: every number an answer carries in a world the options allow is under
    /// 1,000 (coordinates within 512 of the origin and under 256 high: <see cref="World.WorldOptions"/>; counts, blocks
    /// and steps at most 64; angles at most 360). A retry that went on with a number's digits (<c>5701</c> for the
    /// <c>57</c> of <c>place oak_planks -5 54 2 -3 57 2</c>, four retries of creation seed 20) places nothing the world has.
    /// </summary>
    public const int MaxDigits = 3;

    /// <summary>
    /// Where writing <paramref name="text"/> leaves an argument of this kind that was in <paramref name="state"/>, -1 when
    /// no such argument starts so (the parser's reading: CodeActionSyntax trims an argument, then takes a number as an
    /// integer or a decimal, a direction by its letters, an item quoted or bare). Number: as above, at most
    /// <see cref="MaxDigits"/> digits before the point. Direction: 0 leading spaces, 1 the word. Item: 0 leading spaces,
    /// 1 in quotes, 2 closed, 3 a bare name.
    /// </summary>
    private static int Read(ArgumentKind kind, int state, string text)
    {
        foreach (char c in text)
        {
            bool digit = char.IsAsciiDigit(c), name = char.IsAsciiLetterOrDigit(c) || c is '_' or ':';
            state = (kind, state) switch
            {
                (ArgumentKind.Number, 0) => c == ' ' ? 0 : c is '-' or '+' ? 1 : digit ? Digits : -1,
                (ArgumentKind.Number, 1) => digit ? Digits : -1,
                (ArgumentKind.Number, >= Digits and < Point) => digit ? (state + 1 < Point ? state + 1 : -1) : c == '.' ? Point : c == ' ' ? Trailing : -1,
                (ArgumentKind.Number, Point or Decimals) => digit ? Decimals : c == ' ' ? Trailing : -1,
                (ArgumentKind.Number, Trailing) => c == ' ' ? Trailing : -1,
                (ArgumentKind.Direction, 0) => c == ' ' ? 0 : char.IsAsciiLetter(c) ? 1 : -1,
                (ArgumentKind.Direction, 1) => char.IsAsciiLetter(c) || c is '_' or ' ' or '-' ? 1 : -1,
                (ArgumentKind.Item, 0) => c == ' ' ? 0 : c is '"' or '\'' ? 1 : name ? 3 : -1,
                (ArgumentKind.Item, 1) => c is '"' or '\'' ? 2 : name || c == ' ' ? 1 : -1,
                (ArgumentKind.Item, 2) => c == ' ' ? 2 : -1,
                (ArgumentKind.Item, 3) => name || c == ' ' ? 3 : -1,
                _ => -1,
            };
            if (state < 0) return -1;
        }
        return state;
    }

    /// <summary>Whether an argument of this kind in <paramref name="state"/> parses (a digit written, a word, a name closed).</summary>
    private static bool Whole(ArgumentKind kind, int state) => kind switch
    {
        ArgumentKind.Number => state >= Digits,
        ArgumentKind.Direction => state == 1,
        _ => state is 2 or 3,
    };

    private static bool IsNumberText(string s) => s.All(c => c is ' ' or '-' or '+' || char.IsAsciiDigit(c));

    private static int IndexOfSeparator(string s, int from)
    {
        for (int i = from; i < s.Length; i++) if (IsSeparator(s[i])) return i;
        return -1;
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || c is ',' or '(' or ')';
}
