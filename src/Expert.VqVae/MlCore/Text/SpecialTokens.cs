namespace Expert.VqVae.MlCore.Text;

/// <summary>
/// The special tokens of a vocabulary: names at ids 0 .. Count-1, before every word piece. Always
/// <c>&lt;pad&gt;</c> at 0 (an embedding's padding index, what fills a batch after a text's end) and
/// <c>&lt;unk&gt;</c> at 1 (a word piece the vocabulary does not have); then whatever the model needs.
/// Text never encodes to a special token: a model's code adds them by id (<see cref="IdOf"/>), so
/// a prompt that contains "&lt;eos&gt;" is just text. Decoding writes them by name.
/// Immutable; the names are stored in the model's checkpoint with the word pieces.
/// </summary>
public sealed class SpecialTokens
{
    public const string Pad = "<pad>";
    public const string Unknown = "<unk>";
    public const string Bos = "<bos>";
    public const string Eos = "<eos>";
    public const string Separator = "<sep>";

    /// <summary>The id of <see cref="Pad"/> in every vocabulary.</summary>
    public const int PadId = 0;

    /// <summary>The id of <see cref="Unknown"/> in every vocabulary.</summary>
    public const int UnknownId = 1;

    private readonly Dictionary<string, int> _ids;

    /// <param name="names">The names, id = index: <see cref="Pad"/> first, <see cref="Unknown"/> second, all
    /// distinct, each written &lt;like-this&gt;.</param>
    public SpecialTokens(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count < 2 || names[PadId] != Pad || names[UnknownId] != Unknown)
            throw new ArgumentException($"Special tokens start with {Pad} and {Unknown}, got [{string.Join(", ", names)}].", nameof(names));
        _ids = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            if (name is null || name.Length < 3 || name[0] != '<' || name[^1] != '>' || name.Any(char.IsWhiteSpace))
                throw new ArgumentException($"A special token is written <like-this>, without spaces: '{name}'.", nameof(names));
            if (!_ids.TryAdd(name, i)) throw new ArgumentException($"The special token {name} appears twice.", nameof(names));
        }
        Names = names.ToArray();
    }

    /// <summary>Just <see cref="Pad"/> and <see cref="Unknown"/>: the imagination model's descriptions (ids 0 and 1, words from 2).</summary>
    public static SpecialTokens PadAndUnknown { get; } = new([Pad, Unknown]);

    /// <summary>
    /// The set for sequences a model reads and writes (the student's prompts and actions):
    /// <see cref="Pad"/>, <see cref="Unknown"/>, <see cref="Bos"/>, <see cref="Eos"/>, <see cref="Separator"/>
    /// (ids 0-4), then <paramref name="roles"/> (e.g. "&lt;user&gt;", "&lt;action&gt;"), then
    /// <paramref name="reserved"/> slots "&lt;reserved_0&gt;", ... that a later version can rename
    /// into new roles without moving any word's id.
    /// </summary>
    public static SpecialTokens ForSequences(IEnumerable<string>? roles = null, int reserved = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reserved);
        var names = new List<string> { Pad, Unknown, Bos, Eos, Separator };
        names.AddRange(roles ?? []);
        for (int i = 0; i < reserved; i++) names.Add($"<reserved_{i}>");
        return new SpecialTokens(names);
    }

    /// <summary>The names, id = index.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>How many there are: the id of the first word piece.</summary>
    public int Count => Names.Count;

    /// <summary>The id of a special token.</summary>
    /// <exception cref="KeyNotFoundException">This set has no such token.</exception>
    public int IdOf(string name) => _ids.TryGetValue(name, out int id)
        ? id
        : throw new KeyNotFoundException($"No special token {name} in [{string.Join(", ", Names)}].");

    /// <summary>The id of a special token, if this set has it.</summary>
    public bool TryGetId(string name, out int id) => _ids.TryGetValue(name, out id);
}
