using System.Text.Json;
using Expert.VqVae.MlCore.Training;

namespace Expert.VqVae.Tests.MlCore;

public sealed class TrainingLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public TrainingLogTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, double> Values(double loss) => new() { ["loss"] = loss, ["rewards/margins"] = loss / 2 };

    [Fact]
    public void Points_are_appended_as_json_lines_and_read_back_on_resume()
    {
        var log = new TrainingLog(_dir, resume: false);
        for (int step = 1; step <= 4; step++) log.Add("bc", step, Values(step));
        log.Add("dpo", 1, Values(9));
        Assert.Equal(Path.Combine(_dir, TrainingLog.FileName), log.Path);
        Assert.Equal(5, File.ReadAllLines(log.Path).Length);
        var first = JsonSerializer.Deserialize<MetricPoint>(File.ReadLines(log.Path).First())!;
        Assert.Equal(("bc", 1, 1.0), (first.Stage, first.Step, first.Values["loss"]));

        var resumed = new TrainingLog(_dir, resume: true);
        Assert.Equal(5, resumed.Points.Count);
        resumed.TruncateAfter("bc", 2);   // the checkpoint resumed from is at step 2: steps 3 and 4 will be redone
        Assert.Equal([("bc", 1), ("bc", 2), ("dpo", 1)], resumed.Points.Select(p => (p.Stage, p.Step)));
        Assert.Equal(3, new TrainingLog(_dir, resume: true).Points.Count);
        Assert.Equal([TrainingLog.FileName], Directory.GetFiles(_dir).Select(Path.GetFileName));

        Assert.Empty(new TrainingLog(_dir, resume: false).Points);
        Assert.False(File.Exists(log.Path));
    }

    [Fact]
    public void A_torn_last_line_is_dropped_on_resume()
    {
        var log = new TrainingLog(_dir, resume: false);
        log.Add("bc", 1, Values(1));
        log.Add("bc", 2, Values(2));
        File.AppendAllText(log.Path, "{\"Stage\":\"bc\",\"Step\":3,\"Val");
        Assert.Equal([1, 2], new TrainingLog(_dir, resume: true).Points.Select(p => p.Step));
    }

    [Fact]
    public void Curves_are_drawn_per_stage()
    {
        var log = new TrainingLog(_dir, resume: false);
        for (int step = 1; step <= 30; step++) log.Add("bc", step, Values(1.0 / step));
        log.Add("dpo", 1, Values(0.5));
        var written = LossCurvePlot.WriteAll(log.Points, _dir);
        Assert.Equal([Path.Combine(_dir, "curves-bc.png"), Path.Combine(_dir, "curves-dpo.png")], written);
        Assert.All(written, path => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path)[..4]));
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Line_progress_prints_every_nth_step_the_last_and_messages()
    {
        var writer = new StringWriter();
        var progress = new LineProgress(writer, every: 2);
        for (int step = 1; step <= 5; step++) progress.Step("bc", step, 5, new Dictionary<string, double> { ["loss"] = 0.123456 });
        progress.Message("done");
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.EndsWith("bc 2/5 loss=0.1235", lines[0]);
        Assert.EndsWith("bc 4/5 loss=0.1235", lines[1]);
        Assert.EndsWith("bc 5/5 loss=0.1235", lines[2]);
        Assert.EndsWith("] done", lines[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineProgress(writer, every: 0));
    }
}
