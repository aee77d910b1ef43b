using System.CommandLine;
using Expert.VqVae.Features;
using Expert.VqVae.MlCore.Training;

namespace Expert.VqVae.Cli;

/// <summary>
/// `vqvae train-features`: trains the feature net of the creation FID on renders of the corpus's train
/// split (Features/FEATURES.md); resumable; writes model.ckpt, the file shipped as Checkpoints/features.ckpt.
/// </summary>
internal static class TrainFeaturesCommand
{
    public static Command Create()
    {
        var d = new FeatureTrainOptions();
        var output = new Option<string>("--output") { Description = "Run folder (checkpoints, metrics.jsonl, curves-features.png).", DefaultValueFactory = _ => d.OutputDir };
        var corpusSeed = new Option<int>("--corpus-seed") { DefaultValueFactory = _ => d.CorpusSeed };
        var trainCount = new Option<int>("--train-count") { Description = "Train-split buildings rendered for training.", DefaultValueFactory = _ => d.TrainCount };
        var validationCount = new Option<int>("--validation-count") { Description = "Train-split buildings of another corpus seed (choose checkpoint-best).", DefaultValueFactory = _ => d.ValidationCount };
        var heldOutCount = new Option<int>("--held-out-count") { Description = "Test-split buildings measured once at the end (0: none).", DefaultValueFactory = _ => d.HeldOutCount };
        var degradedShare = new Option<double>("--degraded-share") { Description = "Share of the examples that are degraded builds labelled with their quality.", DefaultValueFactory = _ => d.DegradedShare };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => d.Steps };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => d.Batch };
        var lr = new Option<float>("--lr") { Description = "Peak learning rate (warm-up cosine).", DefaultValueFactory = _ => d.LearningRate };
        var evalEvery = new Option<int>("--eval-every") { DefaultValueFactory = _ => d.EvalEvery };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => d.Seed };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => d.Device };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core).", DefaultValueFactory = _ => 0 };
        var noResume = new Option<bool>("--no-resume") { Description = "Start over even if the run folder has a checkpoint." };
        var command = new Command("train-features", "Train the feature net of the creation FID on multi-view renders of the corpus's train split; resumable; writes model.ckpt.")
        {
            output, corpusSeed, trainCount, validationCount, heldOutCount, degradedShare, steps, batch, lr, evalEvery, seed, device, threads, noResume,
        };
        command.SetAction(r => CliApp.Guard(() =>
        {
            var options = new FeatureTrainOptions
            {
                OutputDir = r.GetValue(output)!,
                CorpusSeed = r.GetValue(corpusSeed),
                TrainCount = r.GetValue(trainCount),
                ValidationCount = r.GetValue(validationCount),
                HeldOutCount = r.GetValue(heldOutCount),
                DegradedShare = r.GetValue(degradedShare),
                Steps = r.GetValue(steps),
                Batch = r.GetValue(batch),
                LearningRate = r.GetValue(lr),
                EvalEvery = r.GetValue(evalEvery),
                Seed = r.GetValue(seed),
                Device = r.GetValue(device)!,
                Threads = r.GetValue(threads),
                Resume = !r.GetValue(noResume),
            }.Validated();
            var progress = new LineProgress(Console.Out, every: 25);
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); progress.Message("stopping after this step; resume with the same command"); };
            FeatureTrainingOutcome outcome = new FeatureTrainer(options, progress).Train(cancellationToken: cancel.Token);
            Console.WriteLine($"model: {outcome.ModelPath} (step {outcome.Header.Step}), wall time {outcome.WallTime:hh\\:mm\\:ss}");
            foreach (var (k, v) in outcome.Header.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Console.WriteLine($"  {k} = {v:F4}");
            return 0;
        }));
        return command;
    }
}
