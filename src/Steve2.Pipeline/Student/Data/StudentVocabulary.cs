using Expert.VqVae.MlCore.Text;

namespace Steve2.Pipeline.Student.Data;

/// <summary>
/// The student's special tokens and tokenizer (the ML core's <see cref="CompactBpeTokenizer"/>: GPT-2 pieces in a
/// compact vocabulary fitted on the training texts, byte fallback on, so an unseen word is written as its bytes and
/// never fails). Specials: pad, unk, bos, eos, sep, the three role tokens, the segment markers and the image slot,
/// then 8 reserved slots for later roles. Case and newlines are kept (code actions, one plan line per agent).
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

    /// <summary>Fits the tokenizer on the training texts.</summary>
    public static CompactBpeTokenizer Fit(IEnumerable<string> texts) =>
        CompactBpeTokenizer.Fit(texts, Specials, TextNormalization.None, byteFallback: true);
}
