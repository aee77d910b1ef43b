using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tests.Student;
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
            Assert.True(double.IsFinite(cost.SecondsPerIteration) && double.IsFinite(cost.DecisionMsP50) && double.IsFinite(cost.DecisionMsMean) && cost.PeakRssMb > 0
                && cost.StartRssMb > 0, $"{agent}: {cost}");
        }
        Assert.Single(report.Rounds);
        Assert.Single(report.RoundsWithoutExperts);
        foreach (string teacher in new[] { "teacher", "teacher-no-expert" })
        {
            string round = DaggerRun.RoundDir(Path.Combine(folder.Path, "dagger", teacher), 1);
            foreach (string file in new[] { DaggerRun.SummaryName, DaggerRun.RolloutsName, PreferencePairs.FileName, PreferencePairs.ImagesFileName, DaggerRun.ModelName })
                Assert.True(File.Exists(Path.Combine(round, file)), Path.Combine(round, file));
            Assert.True(Directory.Exists(Path.Combine(round, "rollouts")) && Directory.Exists(Path.Combine(round, "labels")));
            // The anchor term trains on the recordings the reference was cloned from, beside the rounds' labels.
            Assert.Equal(Path.Combine(folder.Path, "data", "teacher-no-expert"), AnchorDataOf(round));
        }
        // One reference for both distillations: behaviour cloning of the teacher without experts.
        Assert.True(File.Exists(Path.Combine(folder.Path, "bc", "teacher-no-expert", StudentTrainer.ModelName)));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "bc", "teacher")));
        string markdown = File.ReadAllText(Path.Combine(folder.Path, Experiment.ReportName));
        foreach (var (row, _) in Experiment.Rows) Assert.Contains(row, markdown);
        Assert.Contains("## Efficiency", markdown);
        // Every difference row on every figure, paired over the evaluation seeds (every agent played the same ones).
        Assert.Equal(Experiment.DifferenceRows.Count * report.Figures.Count, report.Differences!.Count);
        foreach (var d in report.Differences!)
            Assert.True(d.Pairs > 0 && d.CiLow <= d.Difference && d.Difference <= d.CiHigh, $"{d.Label} {d.Figure}: {d}");
        foreach (var (label, _, _) in Experiment.DifferenceRows) Assert.Contains($"| {label} | ", markdown);

        // A second run finds every stage done: the same tables, nothing recomputed (the round's summary is kept as written),
        // also with another number of episodes at once (--parallel: how fast, not what).
        string summary = Path.Combine(DaggerRun.RoundDir(Path.Combine(folder.Path, "dagger", "teacher"), 1), DaggerRun.SummaryName);
        var written = File.GetLastWriteTimeUtc(summary);
        var again = await new Experiment(ExperimentProfile.Tiny with { Parallel = 3 }, new VoxelEnvironmentFactory(), "cpu").RunAsync(folder.Path, host.Clients);
        Assert.Equal(written, File.GetLastWriteTimeUtc(summary));
        foreach (string agent in report.Agents)
            foreach (string figure in report.Figures)
                Assert.Equal(report.Ablation[agent][figure], again.Ablation[agent][figure]);
    }

    /// <summary>
    /// Catches: a given reference (--reference) ignored, a run that still records and clones, or a run folder reused with
    /// another reference. The reference is copied into the run, both distillations start from it, and w/o KD is it.
    /// </summary>
    [Fact]
    [Trait("tier", "slow")]
    public async Task A_given_reference_replaces_the_record_and_bc_stages()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        string bc = folder.Sub("bc");
        new StudentTrainer(new StudentTrainOptions { Preset = "tiny", Steps = 2, BatchSize = 4, WarmupSteps = 1, ValidateEvery = 2, ValidationLimit = 2, CheckpointEvery = 2 })
            .Train(data, bc, torch.CPU);
        string reference = Path.Combine(bc, StudentTrainer.ModelName), run = folder.Sub("run"), demonstrations = folder.Sub("demonstrations");
        await StudentTestData.RecordAsync(demonstrations, "exploration", 1_000_010, null, budget: 3);   // what the reference was cloned from
        torch.manual_seed(1);
        var report = await new Experiment(ExperimentProfile.Tiny, new VoxelEnvironmentFactory(), "cpu", reference: reference, referenceData: demonstrations).RunAsync(run, host.Clients);

        Assert.False(Directory.Exists(Path.Combine(run, "data")));
        Assert.DoesNotContain(report.StageSeconds.Keys, k => k.StartsWith("record", StringComparison.Ordinal) || k.StartsWith("bc", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(Path.Combine(run, Experiment.GivenReferencePath)));
        Assert.Contains("--reference", File.ReadAllText(Path.Combine(run, Experiment.ReportName)));
        Assert.Equal(demonstrations, AnchorDataOf(DaggerRun.RoundDir(Path.Combine(run, "dagger", "teacher"), 1)));
        foreach (var agent in report.Agents)
            Assert.All(report.Figures, f => Assert.NotNull(report.Ablation[agent][f]));

        // Another reference on the same folder is refused, before anything runs.
        string other = folder.Sub("other.ckpt");
        File.Copy(Path.Combine(bc, StudentTrainer.LatestName), other);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => new Experiment(ExperimentProfile.Tiny, new VoxelEnvironmentFactory(), "cpu", reference: other).RunAsync(run, host.Clients));
        Assert.Contains("another reference", e.Message);
    }

    /// <summary>Catches: --reference-data without --reference, or a missing folder, found only after stages have run.</summary>
    [Fact]
    public async Task Reference_data_without_a_reference_or_a_folder_is_refused_before_anything_runs()
    {
        using var folder = new TestFolder();
        string run = folder.Sub("run");
        var alone = await Assert.ThrowsAsync<ArgumentException>(() =>
            new Experiment(ExperimentProfile.Tiny, new VoxelEnvironmentFactory(), "cpu", referenceData: folder.Path).RunAsync(run, host.Clients));
        Assert.Contains("--reference", alone.Message);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() =>
            new Experiment(ExperimentProfile.Tiny, new VoxelEnvironmentFactory(), "cpu", reference: folder.Sub("x.ckpt"), referenceData: folder.Sub("none")).RunAsync(run, host.Clients));
        Assert.Contains("no such folder", missing.Message);
        Assert.False(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any());
    }

    /// <summary>The anchor recordings a round's DPO trainer was run with (its dpo-options.json).</summary>
    private static string? AnchorDataOf(string round) =>
        System.Text.Json.JsonSerializer.Deserialize<DpoOptions>(File.ReadAllText(Path.Combine(round, "train", DpoTrainer.OptionsName)))!.AnchorData;
}
