using System.Text;
using Expert.DynamicMap.Shared;

namespace Expert.DynamicMap.Tests.Shared;

public class AtomicFileTests
{
    [Fact]
    public void Writes_bytes_text_streams_and_copies_creating_the_folder_and_replacing_the_old_file()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "a", "b", "file.bin");
        AtomicFile.WriteBytes(path, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));

        AtomicFile.WriteText(path, "héllo");
        Assert.Equal(Encoding.UTF8.GetBytes("héllo"), File.ReadAllBytes(path));   // UTF-8, no byte order mark

        int written = AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(42);
            return 4;
        });
        Assert.Equal(4, written);
        Assert.Equal(BitConverter.GetBytes(42), File.ReadAllBytes(path));
        Assert.Equal(["file.bin"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));

        string copy = Path.Combine(folder.Path, "c", "copy.bin");
        AtomicFile.WriteText(copy, "an older, longer file");
        AtomicFile.Copy(path, copy);
        Assert.Equal(BitConverter.GetBytes(42), File.ReadAllBytes(copy));
        Assert.Throws<FileNotFoundException>(() => AtomicFile.Copy(Path.Combine(folder.Path, "missing.bin"), copy));
        Assert.Equal(BitConverter.GetBytes(42), File.ReadAllBytes(copy));   // a failed copy leaves the target as it was
        Assert.Equal(["copy.bin"], Directory.GetFiles(Path.GetDirectoryName(copy)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_that_throws_midway_leaves_no_file_under_the_real_name_and_no_temporary_file()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "model.ckpt");
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);   // more than the buffer: some of it reached the temporary file
            throw new InvalidOperationException("crash mid-write");
        }));
        Assert.Equal("crash mid-write", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void A_writer_that_throws_leaves_the_previous_file_as_it_was()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "episode.json");
        AtomicFile.WriteText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new, half"u8);
            throw new IOException("disk full");
        }, durable: false));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Concurrent_writers_of_one_file_each_write_whole_and_leave_one_complete_version()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "snapshot.bin");
        const int writers = 8, size = 200_000;
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, i =>
        {
            var content = new byte[size];
            Array.Fill(content, (byte)(i + 1));
            AtomicFile.WriteBytes(path, content);
        });
        byte[] final = File.ReadAllBytes(path);
        Assert.Equal(size, final.Length);
        Assert.InRange(final[0], 1, writers);
        Assert.All(final, b => Assert.Equal(final[0], b));   // one writer's content, never a mix
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Temporary_files_are_hidden_beside_the_target_and_distinct_per_call()
    {
        string target = Path.Combine(Path.GetTempPath(), "x", "metrics.jsonl");
        string a = AtomicFile.TemporaryPathFor(target), b = AtomicFile.TemporaryPathFor(target);
        Assert.NotEqual(a, b);
        Assert.Equal(Path.GetDirectoryName(target), Path.GetDirectoryName(a));
        Assert.StartsWith(".metrics.jsonl.", Path.GetFileName(a));
        Assert.EndsWith(".tmp", a);
    }

    [Fact]
    public void The_folder_of_a_durable_write_is_flushed_on_linux()
    {
        using var folder = new TempFolder();
        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), AtomicFile.FlushDirectory(folder.Path));
        Assert.False(AtomicFile.FlushDirectory(Path.Combine(folder.Path, "missing")));
    }
}
