using System.Text.RegularExpressions;
using Expert.VqVae.MlCore.Text;

namespace Steve2.Pipeline.Student.Data;

/// <summary>
/// The student's special tokens and tokenizer (the ML core's <see cref="CompactBpeTokenizer"/>: GPT-2 pieces in a
/// compact vocabulary fitted on the training texts, byte fallback on, so an unseen word is written as its bytes and
/// never fails). Specials: pad, unk, bos, eos, sep, the three role tokens, the segment markers and the image slot,
/// then 8 reserved slots for later roles. Case and newlines are kept (code actions, one plan line per agent).
/// <para>Numbers are written one way: GPT-2's pre-tokenizer joins a number to the space before it (<c>" 113"</c>), and
/// every number the answers copy is written so in the prompts (<c>stop at 113 52 112</c>, <c>goto 70 41 35</c>), except
/// a code action's first argument, which follows its bracket (<c>moveTo(113, 52, 112)</c>: the piece <c>"113"</c>, one
/// the prompt rarely holds, so the copy head had nothing to point at; the v7 student's actors miscopied exactly that
/// number). A negative first argument was no better: <c>mine(-9, 39, 31)</c> starts with the piece <c>"(-"</c>, which
/// no prompt holds, where the directive <c>mine -9 39 31</c> has <c>" -", "9"</c> (the v7 student dropped such signs).
/// <see cref="Encode"/> writes a space between a bracket and the number after it (<c>moveTo( 113, 52, 112)</c>,
/// <c>mine( -9, 39, 31)</c>, and <c>at ( 0, 43, 7)</c> in the state) and <see cref="Decode"/> takes it out again, so
/// the texts outside the model, the parsers' and the recordings', are unchanged.</para>
/// <para>Words likewise (dataset v10): <c>explore(south, 50)</c> started with the piece <c>"south"</c> where the goal line
/// says <c>" south"</c>, and the v8 student's first explore went another way on 6 of 60 object-search episodes
/// (<c>explore(southeast, 50)</c> under <c>too far to walk, explore south</c>). A bracket is spaced from a word after it
/// too (<c>explore( south, 50)</c>); a quoted name (<c>craft("stick", 4)</c>) is left as it is.</para>
/// </summary>
public static class StudentVocabulary
{
    public const string Manager = "<manager>";
    public const string Conductor = "<conductor>";
    public const string Actor = "<actor>";
    public const string Instruction = "<instruction>";
    public const string State = "<state>";
    public const string Memory = "<memory>";
    public const string Image = "<image>";
    public const string Action = "<action>";

    public static SpecialTokens Specials { get; } =
        SpecialTokens.ForSequences([Manager, Conductor, Actor, Instruction, State, Memory, Image, Action], reserved: 8);

    /// <summary>The role token of a recorded role name ("manager", "conductor", "actor").</summary>
    public static string RoleToken(string role) => role switch
    {
        "manager" => Manager,
        "conductor" => Conductor,
        "actor" => Actor,
        _ => throw new ArgumentException($"Unknown role '{role}'.", nameof(role)),
    };

    private static readonly Regex WordAfterBracket = new(@"\((?=-?[0-9]|[A-Za-z])", RegexOptions.CultureInvariant);
    private static readonly Regex SpacedWordAfterBracket = new(@"\( (?=-?[0-9]|[A-Za-z])", RegexOptions.CultureInvariant);

    /// <summary>A text as the model reads and writes it: a space between a bracket and the number or word after it.</summary>
    public static string ModelText(string text) => WordAfterBracket.Replace(text, "( ");

    /// <summary>A text the model wrote, as the parsers and recordings write it (the inverse of <see cref="ModelText"/>).</summary>
    public static string PlainText(string text) => SpacedWordAfterBracket.Replace(text, "(");

    /// <summary>The student's token ids of a prompt segment or answer.</summary>
    public static int[] Encode(CompactBpeTokenizer tokenizer, string text) => tokenizer.Encode(ModelText(text));

    /// <summary>The plain text of the student's token ids (special tokens left out).</summary>
    public static string Decode(CompactBpeTokenizer tokenizer, IEnumerable<int> ids) =>
        PlainText(tokenizer.Decode(ids, skipSpecialTokens: true));

    /// <summary>Fits the tokenizer on the training texts (as the model reads them).</summary>
    public static CompactBpeTokenizer Fit(IEnumerable<string> texts) =>
        CompactBpeTokenizer.Fit(texts.Select(ModelText), Specials, TextNormalization.None, byteFallback: true);
}
