using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Corpus;

/// <summary>A line of a corpus file that is not valid; names the file, line number and field.</summary>
public sealed class CorpusFormatException(string? path, int lineNumber, string field, string problem)
    : FormatException($"{(path is null ? "" : path + ", ")}line {lineNumber}, field '{field}': {problem}")
{
    public string? Path { get; } = path;
    public int LineNumber { get; } = lineNumber;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}

/// <summary>
/// Reads and writes corpus files: JSON lines, one record per line, as documented in
/// Corpus/CORPUS_FORMAT.md. Reading streams and validates every line; writing goes to a temporary file
/// in the same folder that is renamed over the target at the end, so a crash never leaves half a file.
/// </summary>
public static class CorpusFile
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes the records to <paramref name="path"/> atomically; returns how many were written.</summary>
    public static int Write(string path, IEnumerable<CorpusRecord> records)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(records);
        return AtomicFile.Write(path, stream => Write(stream, records));
    }

    /// <summary>Writes the records as JSON lines to a stream (left open); returns how many were written.</summary>
    public static int Write(Stream stream, IEnumerable<CorpusRecord> records)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        var buffer = new ArrayBufferWriter<byte>(1 << 14);
        int n = 0;
        foreach (var r in records)
        {
            buffer.ResetWrittenCount();
            WriteRecord(buffer, r);
            stream.Write(buffer.WrittenSpan);
            stream.WriteByte((byte)'\n');
            n++;
        }
        return n;
    }

    /// <summary>One record as its JSON line (without the newline).</summary>
    public static string FormatLine(CorpusRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 14);
        WriteRecord(buffer, record);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Streams the records of a file, validating each line; throws <see cref="CorpusFormatException"/> at the first bad one.</summary>
    public static IEnumerable<CorpusRecord> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Corpus file '{path}' does not exist.", path);
        return Records(Utf8Lines(path), path);
    }

    /// <summary>Streams the records of a text reader (for tests and pipes); the reader is disposed at the end.</summary>
    public static IEnumerable<CorpusRecord> Read(TextReader reader, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Records(ReaderLines(reader), sourceName);
    }

    private static IEnumerable<CorpusRecord> Records(IEnumerable<string> lines, string? source)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var record = ParseLine(line, lineNumber, source);
            if (!ids.Add(record.Id)) throw new CorpusFormatException(source, lineNumber, "id", $"duplicate id '{record.Id}'");
            yield return record;
        }
    }

    private static IEnumerable<string> ReaderLines(TextReader reader)
    {
        using (reader)
        {
            string? line;
            while ((line = reader.ReadLine()) is not null) yield return line;
        }
    }

    /// <summary>Splits a file into lines on '\n' and decodes each as strict UTF-8, so a bad byte is reported on its own line.</summary>
    private static IEnumerable<string> Utf8Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        var line = new ArrayBufferWriter<byte>(1 << 14);
        int lineNumber = 0, n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            while (start < n)
            {
                int newline = Array.IndexOf(buffer, (byte)'\n', start, n - start);
                if (newline < 0)
                {
                    line.Write(buffer.AsSpan(start, n - start));
                    break;
                }
                line.Write(buffer.AsSpan(start, newline - start));
                yield return Decode(line.WrittenSpan, ++lineNumber, path);
                line.ResetWrittenCount();
                start = newline + 1;
            }
        }
        if (line.WrittenCount > 0) yield return Decode(line.WrittenSpan, ++lineNumber, path);
    }

    private static string Decode(ReadOnlySpan<byte> bytes, int lineNumber, string path)
    {
        if (lineNumber == 1 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
        try { return Utf8NoBom.GetString(bytes); }
        catch (DecoderFallbackException) { throw new CorpusFormatException(path, lineNumber, "(line)", "is not valid UTF-8"); }
    }

    /// <summary>Parses and validates one JSON line; <paramref name="lineNumber"/> and <paramref name="source"/> go into errors.</summary>
    public static CorpusRecord ParseLine(string line, int lineNumber, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { throw Error("(line)", "not valid JSON: " + e.Message); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error("(line)", $"expected a JSON object, got {root.ValueKind}");

            string id = OptionalString(root, "id") ?? $"line-{lineNumber}";
            if (id.Length == 0) throw Error("id", "must not be empty");

            string description = OptionalString(root, "description") ?? throw Error("description", "is required");
            if (string.IsNullOrWhiteSpace(description)) throw Error("description", "must not be empty");

            var split = CorpusSplit.Train;
            if (OptionalString(root, "split") is { } splitText && !CorpusSplits.TryParse(splitText, out split))
                throw Error("split", $"must be \"train\" or \"test\", got \"{splitText}\"");

            string? family = OptionalString(root, "family");
            if (family is { Length: 0 }) throw Error("family", "must not be empty (leave it out instead)");

            var parameters = ReadParams(root);
            var stated = ReadAttributes(root);

            bool fully = false;
            if (root.TryGetProperty("fully_specified", out var fs) && fs.ValueKind != JsonValueKind.Null)
            {
                if (fs.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Error("fully_specified", "must be true or false");
                fully = fs.GetBoolean();
            }
            string? template = OptionalString(root, "template");

            var (sx, sy, sz) = ReadSize(root);
            var grid = ReadOccupancy(root, sx, sy, sz);
            var blocks = ReadBlocks(root, grid);
            var parts = ReadParts(root);
            var materials = ReadMaterials(root);

            return new CorpusRecord
            {
                Id = id, Description = description, Split = split, Family = family, Params = parameters, Stated = stated,
                FullySpecified = fully, Template = template, Grid = grid, Blocks = blocks, Parts = parts, Materials = materials,
            };
        }

        CorpusFormatException Error(string field, string problem) => new(source, lineNumber, field, problem);

        string? OptionalString(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind != JsonValueKind.String) throw Error(name, $"must be a string, got {e.ValueKind}");
            return e.GetString();
        }

        IReadOnlyDictionary<string, string>? ReadParams(JsonElement root)
        {
            if (!root.TryGetProperty("params", out var p) || p.ValueKind == JsonValueKind.Null) return null;
            if (p.ValueKind != JsonValueKind.Object) throw Error("params", $"must be an object, got {p.ValueKind}");
            var d = new OrderedDictionary<string, string>();
            foreach (var prop in p.EnumerateObject())
            {
                string value = prop.Value.ValueKind switch
                {
                    JsonValueKind.String => prop.Value.GetString()!,
                    JsonValueKind.Number => prop.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw Error("params." + prop.Name, $"must be a string, number or boolean, got {prop.Value.ValueKind}"),
                };
                if (!d.TryAdd(prop.Name, value)) throw Error("params." + prop.Name, "appears twice");
            }
            return d;
        }

        AttributeValues ReadAttributes(JsonElement root)
        {
            if (!root.TryGetProperty("attributes", out var a) || a.ValueKind == JsonValueKind.Null) return AttributeValues.None;
            if (a.ValueKind != JsonValueKind.Object) throw Error("attributes", $"must be an object, got {a.ValueKind}");
            var v = AttributeValues.None;
            foreach (var prop in a.EnumerateObject())
            {
                string field = "attributes." + prop.Name;
                if (!AttributeNames.TryParseKey(prop.Name, out var attr))
                    throw Error(field, $"unknown attribute (known: {string.Join(", ", Enum.GetValues<BuildingAttribute>().Select(AttributeNames.Key))})");
                if (v.Has(attr)) throw Error(field, "appears twice");
                if (attr == BuildingAttribute.Storeys)
                {
                    if (prop.Value.ValueKind != JsonValueKind.Number || !prop.Value.TryGetInt32(out int n) || n < 1 || n > 32)
                        throw Error(field, "must be an integer from 1 to 32");
                    v = v with { Storeys = n };
                    continue;
                }
                if (prop.Value.ValueKind != JsonValueKind.String) throw Error(field, $"must be a string, got {prop.Value.ValueKind}");
                string text = prop.Value.GetString()!;
                v = attr switch
                {
                    BuildingAttribute.HeightClass => AttributeNames.TryParse(text, out HeightClass h) ? v with { HeightClass = h } : throw Bad(field, text, "low, medium, tall"),
                    BuildingAttribute.Footprint => AttributeNames.TryParse(text, out FootprintClass f) ? v with { Footprint = f } : throw Bad(field, text, "small, medium, large"),
                    BuildingAttribute.Symmetry => AttributeNames.TryParse(text, out SymmetryKind s) ? v with { Symmetry = s } : throw Bad(field, text, "symmetric, asymmetric"),
                    BuildingAttribute.Roof => AttributeNames.TryParse(text, out RoofKind r) ? v with { Roof = r } : throw Bad(field, text, "none, flat, pitched, pyramidal"),
                    _ => v,
                };
            }
            return v;
        }

        MaterialGrid? ReadBlocks(JsonElement root, OccupancyGrid grid)
        {
            if (!root.TryGetProperty("blocks", out var b) || b.ValueKind == JsonValueKind.Null) return null;
            if (b.ValueKind != JsonValueKind.Object) throw Error("blocks", $"must be an object {{\"palette\": [...], \"indices\": base64}}, got {b.ValueKind}");
            if (!b.TryGetProperty("palette", out var p) || p.ValueKind != JsonValueKind.Array) throw Error("blocks.palette", "is required: an array of block names");
            var palette = new List<BlockMaterial>();
            foreach (var e in p.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String || !BlockMaterials.TryParse(e.GetString(), out var m) || m == BlockMaterial.Air)
                    throw Error("blocks.palette", $"{e.GetRawText()} is not a block (known: {string.Join(", ", BlockMaterials.Blocks.Select(BlockMaterials.Name))})");
                palette.Add(m);
            }
            string text = b.TryGetProperty("indices", out var ix) && ix.ValueKind == JsonValueKind.String ? ix.GetString()! : throw Error("blocks.indices", "is required: base64, one byte per occupied voxel");
            byte[] bytes;
            try { bytes = Convert.FromBase64String(text); }
            catch (FormatException) { throw Error("blocks.indices", "is not valid base64"); }
            try { return MaterialGrid.Unpack(grid, palette, bytes); }
            catch (ArgumentException e) { throw Error("blocks", e.Message); }
        }

        IReadOnlyList<string>? ReadParts(JsonElement root)
        {
            if (!root.TryGetProperty("parts", out var a) || a.ValueKind == JsonValueKind.Null) return null;
            if (a.ValueKind != JsonValueKind.Array) throw Error("parts", $"must be an array of strings, got {a.ValueKind}");
            var list = new List<string>();
            foreach (var e in a.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(e.GetString())) throw Error("parts", "must hold non-empty strings");
                list.Add(e.GetString()!);
            }
            return list;
        }

        IReadOnlyDictionary<string, string>? ReadMaterials(JsonElement root)
        {
            if (!root.TryGetProperty("materials", out var m) || m.ValueKind == JsonValueKind.Null) return null;
            if (m.ValueKind != JsonValueKind.Object) throw Error("materials", $"must be an object of part to block name, got {m.ValueKind}");
            var d = new OrderedDictionary<string, string>();
            foreach (var prop in m.EnumerateObject())
            {
                if (prop.Value.ValueKind != JsonValueKind.String || !BlockMaterials.TryParse(prop.Value.GetString(), out var block) || block == BlockMaterial.Air)
                    throw Error("materials." + prop.Name, $"{prop.Value.GetRawText()} is not a block name");
                if (!d.TryAdd(prop.Name, prop.Value.GetString()!)) throw Error("materials." + prop.Name, "appears twice");
            }
            return d;
        }

        CorpusFormatException Bad(string field, string text, string allowed) => Error(field, $"\"{text}\" is not one of {allowed}");

        (int, int, int) ReadSize(JsonElement root)
        {
            if (!root.TryGetProperty("size", out var s)) throw Error("size", "is required ([x, y, z])");
            if (s.ValueKind != JsonValueKind.Array || s.GetArrayLength() != 3) throw Error("size", "must be an array of 3 integers [x, y, z]");
            var v = new int[3];
            for (int i = 0; i < 3; i++)
            {
                var e = s[i];
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out v[i]) || v[i] < 1 || v[i] > OccupancyGrid.MaxEdge)
                    throw Error("size", $"each edge must be an integer from 1 to {OccupancyGrid.MaxEdge}");
            }
            return (v[0], v[1], v[2]);
        }

        OccupancyGrid ReadOccupancy(JsonElement root, int sx, int sy, int sz)
        {
            string text = OptionalString(root, "occupancy") ?? throw Error("occupancy", "is required (base64 of the packed bits)");
            byte[] bytes;
            try { bytes = Convert.FromBase64String(text); }
            catch (FormatException) { throw Error("occupancy", "is not valid base64"); }
            int expected = OccupancyGrid.PackedLength(sx, sy, sz);
            if (bytes.Length != expected)
                throw Error("occupancy", $"decodes to {bytes.Length} bytes; a {sx}x{sy}x{sz} grid packs to {expected}");
            try { return OccupancyGrid.Unpack(sx, sy, sz, bytes); }
            catch (ArgumentException e) { throw Error("occupancy", e.Message); }
        }
    }

    private static void WriteRecord(IBufferWriter<byte> output, CorpusRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (string.IsNullOrWhiteSpace(r.Id)) throw new ArgumentException("A record needs a non-empty Id.", nameof(r));
        if (string.IsNullOrWhiteSpace(r.Description)) throw new ArgumentException($"Record '{r.Id}' has an empty description.", nameof(r));
        ArgumentNullException.ThrowIfNull(r.Grid);
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteString("split", CorpusSplits.Name(r.Split));
        w.WriteString("description", r.Description);
        if (r.Family is not null) w.WriteString("family", r.Family);
        if (r.Params is not null)
        {
            w.WriteStartObject("params");
            foreach (var (k, v) in r.Params)
            {
                if (v is "true" or "false") w.WriteBoolean(k, v == "true");
                else if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) &&
                         n.ToString(CultureInfo.InvariantCulture) == v) w.WriteNumber(k, n);
                else w.WriteString(k, v);
            }
            w.WriteEndObject();
        }
        w.WriteStartObject("attributes");
        foreach (var a in r.Stated.Stated)
        {
            if (a == BuildingAttribute.Storeys) w.WriteNumber(AttributeNames.Key(a), r.Stated.Storeys!.Value);
            else w.WriteString(AttributeNames.Key(a), r.Stated.Format(a));
        }
        w.WriteEndObject();
        w.WriteBoolean("fully_specified", r.FullySpecified);
        if (r.Template is not null) w.WriteString("template", r.Template);
        w.WriteStartArray("size");
        w.WriteNumberValue(r.Grid.SizeX);
        w.WriteNumberValue(r.Grid.SizeY);
        w.WriteNumberValue(r.Grid.SizeZ);
        w.WriteEndArray();
        w.WriteString("occupancy", Convert.ToBase64String(r.Grid.Pack()));
        if (r.Blocks is not null)
        {
            if (!r.Blocks.ToOccupancy().Equals(r.Grid)) throw new ArgumentException($"Record '{r.Id}': its blocks do not have the occupancy of its grid.", nameof(r));
            var (palette, indices) = r.Blocks.PackBlocks();
            w.WriteStartObject("blocks");
            w.WriteStartArray("palette");
            foreach (var m in palette) w.WriteStringValue(BlockMaterials.Name(m));
            w.WriteEndArray();
            w.WriteString("indices", Convert.ToBase64String(indices));
            w.WriteEndObject();
        }
        if (r.Parts is not null)
        {
            w.WriteStartArray("parts");
            foreach (var p in r.Parts) w.WriteStringValue(p);
            w.WriteEndArray();
        }
        if (r.Materials is not null)
        {
            w.WriteStartObject("materials");
            foreach (var (k, v) in r.Materials) w.WriteString(k, v);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
