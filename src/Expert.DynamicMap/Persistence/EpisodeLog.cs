using System.Buffers.Binary;

namespace Expert.DynamicMap.Persistence;

/// <summary>What a log record holds.</summary>
internal enum LogRecordType : byte
{
    /// <summary>An accepted observation batch: replay key (string) then the batch content (<see cref="BatchCodec"/>).</summary>
    Batch = 1,
    /// <summary>A landmark was named: id (int64), label (string).</summary>
    NameLandmark = 2,
    /// <summary>A place was blacklisted: x, y, z (int32), radius (double), reason (string), has agent (bool), agent (string), tick (int64).</summary>
    Blacklist = 3,
}

/// <summary>
/// The append-only log of one episode (MAP_LAYOUT.md, "Log"): an 8-byte header ("S2ML", version 1),
/// then records of [uint32 length][uint32 CRC-32][length bytes: type byte + payload], little-endian.
/// A record that ends past the end of the file, or a bad last record, is a torn write: it is ignored and
/// cut off when the log is opened. A bad record followed by more records is damage: opening fails.
/// </summary>
internal sealed class EpisodeLog : IDisposable
{
    private static ReadOnlySpan<byte> Magic => "S2ML"u8;
    public const int HeaderSize = 8;
    public const int RecordHeaderSize = 8;
    private const int FormatVersion = 1;

    private readonly FileStream _stream;
    private readonly bool _fsync;

    private EpisodeLog(FileStream stream, bool fsync)
    {
        _stream = stream;
        _fsync = fsync;
    }

    public string Path => _stream.Name;
    public long Length => _stream.Length;

    /// <summary>Opens (creating when absent) and reads every intact record from <paramref name="fromOffset"/>; cuts off a torn tail.</summary>
    public static EpisodeLog Open(string path, bool fsync, long fromOffset, string episodeId, Action<LogRecordType, byte[]> onRecord)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        try
        {
            if (stream.Length < HeaderSize)
            {
                stream.SetLength(0);
                Span<byte> header = stackalloc byte[HeaderSize];
                Magic.CopyTo(header);
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], FormatVersion);
                stream.Write(header);
                stream.Flush(flushToDisk: true);
            }
            else
            {
                Span<byte> header = stackalloc byte[HeaderSize];
                stream.Position = 0;
                stream.ReadExactly(header);
                if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[4..]) != FormatVersion)
                    throw new Episodes.EpisodeCorruptedException(episodeId, $"{path} is not an episode log (bad header).");
            }

            long good = Math.Max(HeaderSize, fromOffset);
            if (good > stream.Length)
                throw new Episodes.EpisodeCorruptedException(episodeId, $"the snapshot covers {good} bytes of the log, which holds {stream.Length}.");
            stream.Position = good;
            Span<byte> recordHeader = stackalloc byte[RecordHeaderSize];
            while (true)
            {
                long start = stream.Position;
                long remaining = stream.Length - start;
                if (remaining == 0) break;
                if (remaining < RecordHeaderSize) { Truncate(stream, start); break; }
                stream.ReadExactly(recordHeader);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader);
                uint crc = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader[4..]);
                long end = start + RecordHeaderSize + length;
                if (end > stream.Length || (length == 0 && end == stream.Length)) { Truncate(stream, start); break; }
                if (length == 0)
                    throw new Episodes.EpisodeCorruptedException(episodeId, $"log record at byte {start} is empty and is not the last one.");
                var body = new byte[length];
                stream.ReadExactly(body);
                if (Crc32.Compute(body) != crc)
                {
                    if (end == stream.Length) { Truncate(stream, start); break; }
                    throw new Episodes.EpisodeCorruptedException(episodeId, $"log record at byte {start} fails its CRC and is not the last one.");
                }
                onRecord((LogRecordType)body[0], body[1..]);
            }
            stream.Position = stream.Length;
            return new EpisodeLog(stream, fsync);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static void Truncate(FileStream stream, long at)
    {
        stream.SetLength(at);
        stream.Flush(flushToDisk: true);
        stream.Position = at;
    }

    /// <summary>Appends one record; returns the log length after it.</summary>
    public long Append(LogRecordType type, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        uint length = (uint)(1 + head.Length + tail.Length);
        uint crc = Crc32.Append(Crc32.Append(Crc32.Compute([(byte)type]), head), tail);
        Span<byte> header = stackalloc byte[RecordHeaderSize + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(header, length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], crc);
        header[8] = (byte)type;
        long start = _stream.Position;
        try
        {
            _stream.Write(header);
            _stream.Write(head);
            _stream.Write(tail);
            _stream.Flush(flushToDisk: _fsync);
        }
        catch
        {
            // Leave no half record behind a failed write.
            try { _stream.SetLength(start); _stream.Position = start; } catch (IOException) { }
            throw;
        }
        return _stream.Position;
    }

    public void Dispose() => _stream.Dispose();
}
