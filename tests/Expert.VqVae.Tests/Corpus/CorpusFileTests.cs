using System.Text;
using Expert.VqVae.Corpus;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Corpus;

public class CorpusFileTests
{
    private static List<CorpusRecord> Sample(int n = 50) =>
        CorpusGenerator.Generate(new CorpusOptions { Seed = 21, Count = n }).ToList();

    [Fact]
    public void RecordsRoundTripExactlyThroughAFile()
    {
        using var folder = new TempFolder("roundtrip");
        string dir = folder.Path, path = folder.File("corpus.jsonl");
        var records = Sample().Concat(CorpusGenerator.Generate(new CorpusOptions { Seed = 21, Count = 20, Split = CorpusSplit.Test })).ToList();
        Assert.Equal(records.Count, CorpusFile.Write(path, records));
        var back = CorpusFile.Read(path).ToList();
        Assert.Equal(records.Count, back.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(records[i], back[i]);
            Assert.Equal(records[i].Grid.Pack(), back[i].Grid.Pack());
            Assert.Equal(records[i].Params!.ToArray(), back[i].Params!.ToArray());
            Assert.Equal(records[i].Spec, back[i].Spec);
        }
        // Writing what was read gives the same bytes.
        string again = folder.File("again.jsonl");
        CorpusFile.Write(again, back);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
        Assert.Equal(2, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void TheLineLooksLikeTheDocumentedFormat()
    {
        var r = Sample(1)[0];
        string line = CorpusFile.FormatLine(r);
        Assert.StartsWith("{\"id\":\"train-21-000000\",\"split\":\"train\",\"description\":", line);
        Assert.Contains("\"size\":[32,32,32]", line);
        Assert.Contains("\"fully_specified\":", line);
        Assert.Contains("\"params\":{\"", line);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("\"occupancy\":\"" + Convert.ToBase64String(r.Grid.Pack()) + "\"", line);
    }

    [Fact]
    public void AUsersOwnBuildingNeedsOnlyADescriptionAndAGrid()
    {
        var g = new OccupancyGrid(4, 3, 2);
        g[1, 2, 1] = true;
        g[3, 0, 0] = true;
        string line = "{\"description\":\"my little tower\",\"size\":[4,3,2],\"occupancy\":\"" + Convert.ToBase64String(g.Pack()) + "\"}";
        var r = CorpusFile.ParseLine(line, 7);
        Assert.Equal("line-7", r.Id);
        Assert.Equal(CorpusSplit.Train, r.Split);
        Assert.Null(r.Family);
        Assert.Null(r.Params);
        Assert.Null(r.Spec);
        Assert.Equal(AttributeValues.None, r.Stated);
        Assert.False(r.FullySpecified);
        Assert.Equal(g, r.Grid);
        Assert.True(r.Grid[1, 2, 1]);

        var withOwnFamily = CorpusFile.ParseLine(
            "{\"id\":\"mine\",\"description\":\"a windmill\",\"family\":\"windmill\",\"params\":{\"sails\":4,\"tall\":true,\"colour\":\"red\"}," +
            "\"attributes\":{\"height_class\":\"tall\",\"storeys\":3},\"size\":[4,3,2],\"occupancy\":\"" + Convert.ToBase64String(g.Pack()) + "\"}", 1);
        Assert.Equal("windmill", withOwnFamily.Family);
        Assert.Equal("4", withOwnFamily.Params!["sails"]);
        Assert.Equal("true", withOwnFamily.Params!["tall"]);
        Assert.Equal(new AttributeValues(HeightClass.Tall, 3), withOwnFamily.Stated);
        Assert.Null(withOwnFamily.Spec);
        Assert.Contains("\"sails\":4", CorpusFile.FormatLine(withOwnFamily));
    }

    [Theory]
    [InlineData("not json", "(line)", "not valid JSON")]
    [InlineData("[1,2]", "(line)", "expected a JSON object")]
    [InlineData("{\"size\":[32,32,32],\"occupancy\":\"\"}", "description", "is required")]
    [InlineData("{\"description\":\"  \",\"size\":[32,32,32],\"occupancy\":\"\"}", "description", "must not be empty")]
    [InlineData("{\"description\":\"x\",\"occupancy\":\"AA==\"}", "size", "is required")]
    [InlineData("{\"description\":\"x\",\"size\":[32,32],\"occupancy\":\"AA==\"}", "size", "3 integers")]
    [InlineData("{\"description\":\"x\",\"size\":[0,32,32],\"occupancy\":\"AA==\"}", "size", "from 1 to 256")]
    [InlineData("{\"description\":\"x\",\"size\":[2,2,2]}", "occupancy", "is required")]
    [InlineData("{\"description\":\"x\",\"size\":[2,2,2],\"occupancy\":\"!!\"}", "occupancy", "not valid base64")]
    [InlineData("{\"description\":\"x\",\"size\":[4,4,4],\"occupancy\":\"AA==\"}", "occupancy", "packs to 8")]
    [InlineData("{\"description\":\"x\",\"size\":[3,1,1],\"occupancy\":\"/w==\"}", "occupancy", "Padding bits")]
    [InlineData("{\"description\":\"x\",\"split\":\"dev\",\"size\":[2,2,2],\"occupancy\":\"AA==\"}", "split", "\"train\" or \"test\"")]
    [InlineData("{\"description\":\"x\",\"attributes\":{\"roof\":\"domed\"},\"size\":[2,2,2],\"occupancy\":\"AA==\"}", "attributes.roof", "not one of")]
    [InlineData("{\"description\":\"x\",\"attributes\":{\"colour\":\"red\"},\"size\":[2,2,2],\"occupancy\":\"AA==\"}", "attributes.colour", "unknown attribute")]
    [InlineData("{\"description\":\"x\",\"attributes\":{\"storeys\":0},\"size\":[2,2,2],\"occupancy\":\"AA==\"}", "attributes.storeys", "1 to 32")]
    [InlineData("{\"description\":\"x\",\"params\":{\"w\":[1]},\"size\":[2,2,2],\"occupancy\":\"AA==\"}", "params.w", "string, number or boolean")]
    [InlineData("{\"description\":\"x\",\"fully_specified\":\"yes\",\"size\":[2,2,2],\"occupancy\":\"AA==\"}", "fully_specified", "true or false")]
    [InlineData("{\"description\":7,\"size\":[2,2,2],\"occupancy\":\"AA==\"}", "description", "must be a string")]
    public void ABadLineIsRejectedNamingTheLineAndField(string line, string field, string problem)
    {
        var e = Assert.Throws<CorpusFormatException>(() => CorpusFile.ParseLine(line, 12, "mine.jsonl"));
        Assert.Equal(12, e.LineNumber);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith($"mine.jsonl, line 12, field '{field}'", e.Message);
    }

    [Fact]
    public void ACorruptLineInAFileIsReportedByItsLineNumber()
    {
        using var folder = new TempFolder("corrupt");
        string path = folder.File("corpus.jsonl");
        CorpusFile.Write(path, Sample(5));
        var lines = File.ReadAllLines(path).ToList();
        lines[3] = lines[3].Replace("\"occupancy\":\"", "\"occupancy\":\"@");
        lines.Insert(1, "");
        File.WriteAllLines(path, lines);
        using var reader = CorpusFile.Read(path).GetEnumerator();
        Assert.True(reader.MoveNext());
        Assert.True(reader.MoveNext());
        Assert.True(reader.MoveNext());
        var e = Assert.Throws<CorpusFormatException>(() => reader.MoveNext());
        Assert.Equal(5, e.LineNumber); // the blank line counts
        Assert.Equal("occupancy", e.Field);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void DuplicateIdsAreRejected()
    {
        var r = Sample(1)[0];
        string text = CorpusFile.FormatLine(r) + "\n" + CorpusFile.FormatLine(r) + "\n";
        var e = Assert.Throws<CorpusFormatException>(() => CorpusFile.Read(new StringReader(text)).ToList());
        Assert.Equal(2, e.LineNumber);
        Assert.Equal("id", e.Field);
    }

    [Fact]
    public void ReadingIsLazy()
    {
        var r = Sample(1)[0];
        string text = CorpusFile.FormatLine(r) + "\nthis is not json\n";
        Assert.Equal(r, CorpusFile.Read(new StringReader(text)).First());
        using var folder = new TempFolder("missing");
        Assert.Throws<FileNotFoundException>(() => CorpusFile.Read(folder.File("none.jsonl")));
    }

    [Fact]
    public void WritingIsAtomic()
    {
        using var folder = new TempFolder("atomic");
        string dir = folder.Path, path = folder.File("corpus.jsonl");
        CorpusFile.Write(path, Sample(3));
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<InvalidOperationException>(() => CorpusFile.Write(path, Failing()));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));

        CorpusFile.Write(path, Sample(2));
        Assert.Equal(2, CorpusFile.Read(path).Count());
        Assert.Equal([path], Directory.GetFiles(dir));

        static IEnumerable<CorpusRecord> Failing()
        {
            foreach (var r in Sample(2)) yield return r;
            throw new InvalidOperationException("the generator broke half-way");
        }
    }

    [Fact]
    public void RecordsWithoutADescriptionAreNotWritten()
    {
        var r = Sample(1)[0] with { Description = " " };
        Assert.Throws<ArgumentException>(() => CorpusFile.FormatLine(r));
    }

    [Fact]
    public void NonUtf8BytesAreReportedByLine()
    {
        using var folder = new TempFolder("utf8");
        string path = folder.File("bad.jsonl");
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(CorpusFile.FormatLine(Sample(1)[0]) + "\n"));
        bytes.AddRange([0x7B, 0xFF, 0xFE, 0x7D, 0x0A]);
        File.WriteAllBytes(path, bytes.ToArray());
        var e = Assert.Throws<CorpusFormatException>(() => CorpusFile.Read(path).ToList());
        Assert.Equal(2, e.LineNumber);
    }
}
