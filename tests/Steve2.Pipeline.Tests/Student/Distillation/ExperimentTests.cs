using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tests.Experts;
using Steve2.Pipeline.Tests.Trajectories;
using TorchSharp;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>The experiment's mechanics end to end at the tiny profile: every stage runs, every table cell is there and finite, a second run reads everything back.</summary>
[Collection(StudentCollection.Name)]
public sealed class ExperimentTests(ExpertHostFixture host) : IClassFixture<ExpertHostFixture>
{
    [Fact]
    [Trait("tier", "slow")]
    public async Task The_tiny_profile_runs_every_stage_and_fills_every_cell_of_both_tables()
    {
        using var folder = new TestFolder();
        torch.manual_seed(1);
        var report = await new Experiment(ExperimentProfile.Tiny, new VoxelEnvironmentFactory(), "cpu").RunAsync(folder.Path, host.Clients);

        Assert.Equal(Experiment.Rows.Select(r => r.Agent), report.Agents);
        Assert.Equal(["exploration/area_revealed", "creation/iou", "creation/image_distance"], report.Figures);
        foreach (string agent in report.Agents)
        {
            foreach (string figure in report.Figures)
            {
                var cell = report.Ablation[agent][figure];
                Assert.True(cell is not null, $"{agent} {figure}");
                Assert.True(double.IsFinite(cell!.Mean) && double.IsFinite(cell.CiLow) && double.IsFinite(cell.CiHigh), $"{agent} {figure}: {cell}");
            }
            var cost = report.Efficiency[agent];
            Assert.True(double.IsFinite(cost.SecondsPerIteration) && double.IsFinite(cost.DecisionMsP50) && double.IsFinite(cost.DecisionMsMean) && cost.PeakRssMb > 0, $"{agent}: {cost}");
        }
        Assert.Single(report.Rounds);
        Assert.Single(report.RoundsWithoutExperts);
        foreach (string teacher in new[] { "teacher", "teacher-no-expert" })
        {
            string round = DaggerRun.RoundDir(Path.Combine(folder.Path, "dagger", teacher), 1);
            foreach (string file in new[] { DaggerRun.SummaryName, DaggerRun.RolloutsName, PreferencePairs.FileName, PreferencePairs.ImagesFileName, DaggerRun.ModelName })
                Assert.True(File.Exists(Path.Combine(round, file)), Path.Combine(round, file));
            Assert.True(Directory.Exists(Path.Combine(round, "rollouts")) && Directory.Exists(Path.Combine(round, "labels")));
            Assert.True(File.Exists(Path.Combine(folder.Path, "bc", teacher, StudentTrainer.ModelName)));
        }
        string markdown = File.ReadAllText(Path.Combine(folder.Path, Experiment.ReportName));
        foreach (var (row, _) in Experiment.Rows) Assert.Contains(row, markdown);
        Assert.Contains("## Efficiency", markdown);

        // A second run finds every stage done: the same tables, nothing recomputed (the round's summary is kept as written).
        string summary = Path.Combine(DaggerRun.RoundDir(Path.Combine(folder.Path, "dagger", "teacher"), 1), DaggerRun.SummaryName);
        var written = File.GetLastWriteTimeUtc(summary);
        var again = await new Experiment(ExperimentProfile.Tiny, new VoxelEnvironmentFactory(), "cpu").RunAsync(folder.Path, host.Clients);
        Assert.Equal(written, File.GetLastWriteTimeUtc(summary));
        foreach (string agent in report.Agents)
            foreach (string figure in report.Figures)
                Assert.Equal(report.Ablation[agent][figure], again.Ablation[agent][figure]);
    }
}
