using System.Buffers.Binary;
using System.IO.Compression;
using Expert.DynamicMap.Shared;

namespace Expert.DynamicMap.Persistence;

/// <summary>
/// A snapshot of an episode (MAP_LAYOUT.md, "Snapshot"): a 24-byte header ("S2MS", version 1,
/// int64 log offset covered, uint32 CRC-32 of the body, uint32 reserved) then the body: the
/// <see cref="StateCodec"/> encoding, zlib-compressed. Written with <see cref="AtomicFile"/>, so a
/// crash leaves the previous snapshot; a damaged snapshot is ignored and the whole log replayed.
/// </summary>
internal static class SnapshotFile
{
    private static ReadOnlySpan<byte> Magic => "S2MS"u8;
    private const int HeaderSize = 24;
    private const int FormatVersion = 1;

    public static void Write(string path, long logOffset, Action<BinaryWriter> writeState)
    {
        using var body = new MemoryStream();
        using (var zlib = new ZLibStream(body, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(zlib, System.Text.Encoding.UTF8, leaveOpen: true))
            writeState(writer);

        var bytes = new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length);
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), logOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32.Compute(bytes.Span));
        AtomicFile.Write(path, file =>
        {
            file.Write(header);
            file.Write(bytes.Span);
        });
    }

    /// <summary>Reads a snapshot, or null when absent or damaged (then the log is replayed from its start);
    /// <paramref name="problem"/> says what was wrong with a damaged one (no path).</summary>
    public static (long LogOffset, T State)? TryRead<T>(string path, Func<BinaryReader, T> readState, out string? problem)
    {
        problem = null;
        if (!File.Exists(path)) return null;
        byte[] all = File.ReadAllBytes(path);
        if (all.Length < HeaderSize || !all.AsSpan(0, 4).SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt32LittleEndian(all.AsSpan(4)) != FormatVersion)
        {
            problem = "snapshot.bin has a bad header";
            return null;
        }
        long offset = BinaryPrimitives.ReadInt64LittleEndian(all.AsSpan(8));
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(all.AsSpan(16));
        if (Crc32.Compute(all.AsSpan(HeaderSize)) != crc)
        {
            problem = "snapshot.bin fails its CRC";
            return null;
        }
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(all, HeaderSize, all.Length - HeaderSize), CompressionMode.Decompress);
            using var reader = new BinaryReader(zlib);
            return (offset, readState(reader));
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            problem = "snapshot.bin cannot be decoded";
            return null;
        }
    }
}
