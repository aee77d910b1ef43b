using System.Buffers.Binary;
using System.Text;

namespace Steve2.Pipeline.Play;

/// <summary>
/// An animated PNG (APNG) made from PNG frames of one size (each encoded by SkiaSharp, which writes still PNGs only):
/// the first frame's chunks as the default image, the others as fdAT chunks. Viewers without APNG show the first frame.
/// </summary>
public static class ApngWriter
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The APNG of <paramref name="frames"/> (PNG files of one size), each shown <paramref name="delayMs"/> ms, looping.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> frames, int delayMs)
    {
        if (frames.Count == 0) throw new ArgumentException("An animation needs at least one frame.", nameof(frames));
        var output = new MemoryStream();
        output.Write(Signature);
        var first = Chunks(frames[0]);
        byte[] ihdr = first.Single(c => c.Type == "IHDR").Data;
        WriteChunk(output, "IHDR", ihdr);
        foreach (var c in first.Where(c => c.Type is not ("IHDR" or "IDAT" or "IEND"))) WriteChunk(output, c.Type, c.Data);
        var actl = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(actl, (uint)frames.Count);
        WriteChunk(output, "acTL", actl);   // plays 0: loop forever
        uint sequence = 0;
        int width = BinaryPrimitives.ReadInt32BigEndian(ihdr), height = BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4));
        for (int i = 0; i < frames.Count; i++)
        {
            var chunks = i == 0 ? first : Chunks(frames[i]);
            byte[] frameHeader = chunks.Single(c => c.Type == "IHDR").Data;
            if (!frameHeader.AsSpan(0, 8).SequenceEqual(ihdr.AsSpan(0, 8))) throw new ArgumentException($"Frame {i} differs in size from the first.", nameof(frames));
            var fctl = new byte[26];
            BinaryPrimitives.WriteUInt32BigEndian(fctl, sequence++);
            BinaryPrimitives.WriteInt32BigEndian(fctl.AsSpan(4), width);
            BinaryPrimitives.WriteInt32BigEndian(fctl.AsSpan(8), height);
            BinaryPrimitives.WriteUInt16BigEndian(fctl.AsSpan(20), (ushort)delayMs);
            BinaryPrimitives.WriteUInt16BigEndian(fctl.AsSpan(22), 1000);
            WriteChunk(output, "fcTL", fctl);   // offset 0,0; dispose none; blend source
            foreach (var c in chunks.Where(c => c.Type == "IDAT"))
            {
                if (i == 0)
                {
                    WriteChunk(output, "IDAT", c.Data);
                    continue;
                }
                var fdat = new byte[c.Data.Length + 4];
                BinaryPrimitives.WriteUInt32BigEndian(fdat, sequence++);
                c.Data.CopyTo(fdat, 4);
                WriteChunk(output, "fdAT", fdat);
            }
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>The frame count an APNG declares (acTL) and the frame controls it holds (fcTL); both equal in a well-formed file.</summary>
    public static (int Declared, int Controls) FrameCounts(byte[] apng)
    {
        var chunks = Chunks(apng);
        var actl = chunks.FirstOrDefault(c => c.Type == "acTL") ?? throw new InvalidDataException("Not an animated PNG: no acTL chunk.");
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(actl.Data), chunks.Count(c => c.Type == "fcTL"));
    }

    private sealed record Chunk(string Type, byte[] Data);

    private static List<Chunk> Chunks(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("Not a PNG file.");
        var list = new List<Chunk>();
        int at = 8;
        while (at + 12 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (length < 0 || at + 12 + length > png.Length) throw new InvalidDataException("Truncated PNG chunk.");
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            if (crc != Crc(png.AsSpan(at + 4, 4 + length))) throw new InvalidDataException($"Bad CRC in PNG chunk {type}.");
            list.Add(new Chunk(type, png.AsSpan(at + 8, length).ToArray()));
            at += 12 + length;
            if (type == "IEND") break;
        }
        return list;
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        Encoding.ASCII.GetBytes(type, 0, 4, buffer, 4);
        data.CopyTo(buffer, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), Crc(buffer.AsSpan(4, 4 + data.Length)));
        output.Write(buffer);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in bytes) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
