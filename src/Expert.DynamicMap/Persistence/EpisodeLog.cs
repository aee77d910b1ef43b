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
/// The append-only log of one episode (MAP_LAYOUT.md, "Log"): an 8-byte header ("S2ML", version), then
/// records, little-endian. Version 2 (written by new logs): [uint32 length][uint32 CRC-32 of the body]
/// [uint32 CRC-32 of those 8 header bytes][length bytes: type byte + payload]. Version 1 (older logs, still
/// read and appended to in their own format): the same without the header check.
/// On opening, a <b>torn write</b> (the file ends inside the last record: an append that never finished) is
/// the only thing cut off, with a warning; a <b>complete</b> record that fails a CRC, anywhere, was
/// acknowledged and is damage: opening fails (DATA_LOSS), nothing is cut.
/// </summary>
internal sealed class EpisodeLog : IDisposable
{
    private static ReadOnlySpan<byte> Magic => "S2ML"u8;
    public const int HeaderSize = 8;
    /// <summary>The version new logs are written in.</summary>
    public const int CurrentVersion = 2;

    private readonly FileStream _stream;
    private readonly bool _fsync;
    private readonly int _version;
    private bool _broken;

    private EpisodeLog(FileStream stream, bool fsync, int version)
    {
        _stream = stream;
        _fsync = fsync;
        _version = version;
    }

    public string Path => _stream.Name;
    public long Length => _stream.Length;
    public int Version => _version;

    /// <summary>Bytes before a record's body: 12 in version 2 (length, body CRC, header CRC), 8 in version 1.</summary>
    public static int RecordHeaderSize(int version) => version >= 2 ? 12 : 8;

    /// <summary>
    /// Opens (creating when absent) and reads every record from <paramref name="fromOffset"/>; cuts off a torn
    /// tail (reported through <paramref name="warn"/>), throws <see cref="Episodes.EpisodeCorruptedException"/>
    /// for damage. Messages name the file, never its full path.
    /// </summary>
    public static EpisodeLog Open(string path, bool fsync, long fromOffset, string episodeId, Action<LogRecordType, byte[]> onRecord,
        Action<string>? warn = null)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        try
        {
            int version = CurrentVersion;
            Span<byte> header = stackalloc byte[HeaderSize];
            if (stream.Length < HeaderSize)
            {
                // New, or a header whose write never finished (no record can follow it, nothing was acknowledged).
                if (stream.Length > 0) warn?.Invoke($"log.bin: its header is torn ({stream.Length} of {HeaderSize} bytes); the log is started afresh.");
                stream.SetLength(0);
                Magic.CopyTo(header);
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], CurrentVersion);
                stream.Write(header);
                stream.Flush(flushToDisk: true);
            }
            else
            {
                stream.Position = 0;
                stream.ReadExactly(header);
                version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
                if (!header[..4].SequenceEqual(Magic) || version is < 1 or > CurrentVersion)
                    throw new Episodes.EpisodeCorruptedException(episodeId, "log.bin is not an episode log (bad header).");
            }

            int recordHeaderSize = RecordHeaderSize(version);
            long good = Math.Max(HeaderSize, fromOffset);
            if (good > stream.Length)
                throw new Episodes.EpisodeCorruptedException(episodeId, $"the snapshot covers {good} bytes of log.bin, which holds {stream.Length}.");
            stream.Position = good;
            Span<byte> recordHeader = stackalloc byte[12];
            while (true)
            {
                long start = stream.Position;
                long remaining = stream.Length - start;
                if (remaining == 0) break;
                if (remaining < recordHeaderSize)
                {
                    Cut(stream, start, warn, IsZeroFrom(stream, start)
                        ? ZerosCut(start, remaining)
                        : $"log.bin: the last record, at byte {start}, is torn ({remaining} of its {recordHeaderSize}-byte header written); cut off {remaining} byte(s).");
                    break;
                }
                stream.Position = start;
                stream.ReadExactly(recordHeader[..recordHeaderSize]);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader);
                uint crc = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader[4..]);
                bool headerBad = version >= 2 && Crc32.Compute(recordHeader[..8]) != BinaryPrimitives.ReadUInt32LittleEndian(recordHeader[8..]);
                if (headerBad || length == 0)
                {
                    // The file was extended but the data never reached the disk (power loss before an fsync): no record
                    // is all zeros (its length is at least 1), so a zero tail holds nothing that was written.
                    if (IsZeroFrom(stream, start)) { Cut(stream, start, warn, ZerosCut(start, remaining)); break; }
                    throw new Episodes.EpisodeCorruptedException(episodeId, headerBad
                        ? $"log.bin: the header of the record at byte {start} fails its CRC: it was damaged on disk."
                        : $"log.bin: the record at byte {start} is empty: the log was damaged on disk.");
                }
                long end = start + recordHeaderSize + length;
                if (end > stream.Length)
                {
                    // The append stopped part-way: this record was never acknowledged.
                    Cut(stream, start, warn, $"log.bin: the last record, at byte {start}, is torn ({remaining} of {recordHeaderSize + length} bytes written); cut off {remaining} byte(s).");
                    break;
                }
                var body = new byte[length];
                stream.ReadExactly(body);
                if (Crc32.Compute(body) != crc)
                {
                    string where = end == stream.Length ? "the last record" : "the record";
                    throw new Episodes.EpisodeCorruptedException(episodeId,
                        $"log.bin: {where} at byte {start} is complete ({length} bytes) but fails its CRC: it was damaged on disk.");
                }
                onRecord((LogRecordType)body[0], body[1..]);
            }
            stream.Position = stream.Length;
            return new EpisodeLog(stream, fsync, version);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static string ZerosCut(long start, long remaining) =>
        $"log.bin: the last {remaining} byte(s), from byte {start}, are zeros (an append that never reached the disk); cut off {remaining} byte(s).";

    private static bool IsZeroFrom(FileStream stream, long start)
    {
        stream.Position = start;
        Span<byte> buffer = stackalloc byte[4096];
        int read;
        while ((read = stream.Read(buffer)) > 0)
            if (buffer[..read].ContainsAnyExcept((byte)0)) return false;
        return true;
    }

    private static void Cut(FileStream stream, long at, Action<string>? warn, string message)
    {
        warn?.Invoke(message);
        stream.SetLength(at);
        stream.Flush(flushToDisk: true);
        stream.Position = at;
    }

    /// <summary>Appends one record; returns the log length after it.</summary>
    public long Append(LogRecordType type, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        if (_broken) throw new IOException("log.bin could not be rolled back after a failed append; reload the episode.");
        uint length = (uint)(1 + head.Length + tail.Length);
        uint crc = Crc32.Append(Crc32.Append(Crc32.Compute([(byte)type]), head), tail);
        int recordHeaderSize = RecordHeaderSize(_version);
        Span<byte> header = stackalloc byte[12 + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(header, length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], crc);
        if (_version >= 2) BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32.Compute(header[..8]));
        header[recordHeaderSize] = (byte)type;
        long start = _stream.Position;
        try
        {
            _stream.Write(header[..(recordHeaderSize + 1)]);
            _stream.Write(head);
            _stream.Write(tail);
            _stream.Flush(flushToDisk: _fsync);
        }
        catch
        {
            // Leave no half record behind a failed write (disk full): the change is not applied either.
            try { _stream.SetLength(start); _stream.Position = start; }
            catch (IOException) { _broken = true; }
            throw;
        }
        return _stream.Position;
    }

    /// <summary>Flushes the log to the disk (fsync): called before a snapshot that covers it is written, so a
    /// snapshot never covers log bytes a power loss can take back.</summary>
    public void Sync() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();
}
