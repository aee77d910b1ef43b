using System.Runtime.InteropServices;
using System.Text;

namespace Expert.DynamicMap.Shared;

/// <summary>
/// Writes a file so that readers see the old one or the whole new one, never a half, whatever
/// happens mid-write. The one implementation of "write to a temporary name, then rename" in the
/// repository (checkpoints, corpus files, snapshots, episode metadata, reports, plots, pictures).
/// <list type="number">
/// <item>The content goes to a temporary file in the target's own folder (a rename is atomic only
///   within one file system), named <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>: hidden, and distinct per
///   call, so two writers of the same file (threads or processes) never share a temporary file;
///   it is created with <see cref="FileMode.CreateNew"/> and no sharing.</item>
/// <item>When <c>durable</c> (the default) the content is flushed to the disk
///   (<c>fsync</c>) before the rename, so a power loss cannot leave the new name pointing at
///   unwritten blocks; after the rename the folder itself is flushed too (Linux and macOS), so the
///   rename survives a power loss once this returns.</item>
/// <item>The temporary file is renamed over the target (replacing an existing file).</item>
/// <item>If the content callback (or anything before the rename) throws, the temporary file is
///   deleted and the exception rethrown: the target is untouched (the previous file, or none).</item>
/// </list>
/// A process killed mid-write leaves a hidden <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c> beside the
/// target and the target as it was. Missing folders are created.
/// </summary>
public static class AtomicFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Writes what <paramref name="write"/> puts into the stream; returns its result.</summary>
    /// <param name="path">The target file; its folder is created when missing.</param>
    /// <param name="write">Writes the whole content to the stream (it may wrap the stream, e.g. in a
    /// <see cref="BinaryWriter"/>, but must not close it).</param>
    /// <param name="durable">Flush the file and the rename to the disk (see the type's remarks).</param>
    public static T Write<T>(string path, Func<Stream, T> write, bool durable = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temporary = TemporaryPathFor(full);
        try
        {
            T result;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                result = write(stream);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temporary, full, overwrite: true);
            if (durable) FlushDirectory(directory);
            return result;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes what <paramref name="write"/> puts into the stream.</summary>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream => { write(stream); return true; }, durable);
    }

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes), durable);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark (as <see cref="File.WriteAllText(string, string?)"/>).</summary>
    public static void WriteText(string path, string text, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteBytes(path, Encoding.UTF8.GetBytes(text), durable);
    }

    /// <summary>Copies the file <paramref name="source"/> to <paramref name="path"/>: a reader of <paramref name="path"/> sees the old file or the whole copy.</summary>
    public static void Copy(string source, string path, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        Write(path, stream =>
        {
            using var from = File.OpenRead(source);
            from.CopyTo(stream);
        }, durable);
    }

    /// <summary>The hidden, per-call temporary name beside <paramref name="fullPath"/> (it ends in ".tmp").</summary>
    internal static string TemporaryPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Flushes a folder's entries (a rename in it) to the disk: <c>fsync</c> on the folder, which
    /// .NET has no API for. Best effort: returns false where the platform or file system does not
    /// support it (Windows flushes renames with the file).
    /// </summary>
    internal static bool FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        try
        {
            int fd = open(directory, 0 /* O_RDONLY */);
            if (fd < 0) return false;
            try { return fsync(fd) == 0; }
            finally { _ = close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
