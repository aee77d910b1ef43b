using System.CommandLine;
using Expert.VqVae.Corpus;
using Expert.VqVae.MlCore.Training;
using Expert.VqVae.Model;
using Expert.VqVae.Training;

namespace Expert.VqVae.Cli;

/// <summary>
/// `vqvae train`: both stages on the built-in corpus (or a JSON-lines corpus of your own); or, with
/// `--stage decoder --from CKPT`, a new decoder on that checkpoint's frozen code grids; or, with
/// `--stage painter --from CKPT --corpus v2.jsonl`, a material painter beside that checkpoint's frozen model.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainOptions();
        var output = new Option<string>("--output") { Description = "Run folder (checkpoints, metrics.jsonl, curves-*.png).", DefaultValueFactory = _ => defaults.OutputDir };
        var corpus = new Option<string?>("--corpus") { Description = "JSON-lines corpus (Corpus/CORPUS_FORMAT.md); default: the built-in generated corpus." };
        var corpusSeed = new Option<int>("--corpus-seed") { DefaultValueFactory = _ => defaults.CorpusSeed };
        var corpusCount = new Option<int>("--corpus-count") { Description = "Descriptions generated for training.", DefaultValueFactory = _ => defaults.CorpusCount };
        var vqSteps = new Option<int>("--vqvae-steps") { DefaultValueFactory = _ => defaults.VqVaeSteps };
        var priorSteps = new Option<int>("--prior-steps") { DefaultValueFactory = _ => defaults.PriorSteps };
        var vqBatch = new Option<int>("--vqvae-batch") { DefaultValueFactory = _ => defaults.VqVaeBatch };
        var priorBatch = new Option<int>("--prior-batch") { DefaultValueFactory = _ => defaults.PriorBatch };
        var evalEvery = new Option<int>("--eval-every") { DefaultValueFactory = _ => defaults.EvalEvery };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => defaults.Device };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core).", DefaultValueFactory = _ => 0 };
        var noResume = new Option<bool>("--no-resume") { Description = "Start over even if the run folder has a checkpoint." };
        var autoencoderFrom = new Option<string?>("--autoencoder-from") { Description = "Take the trained VQ-VAE of this checkpoint and train only the prior." };
        var autoencoderInit = new Option<string?>("--autoencoder-init") { Description = "Start the autoencoder from this checkpoint's weights and train both stages (with --materials an occupancy-only one grows the material channel)." };
        var codebookSize = new Option<int>("--codebook-size") { Description = "Codes in the autoencoder's codebook (codes that carry blocks need more; with --autoencoder-init at least the source's).", DefaultValueFactory = _ => defaults.VqVae.CodebookSize };
        var materialWeight = new Option<float>("--material-weight") { Description = "Weight of the block cross-entropy (on occupied voxels) against the occupancy loss (averaged over every voxel); 0 = 1.", DefaultValueFactory = _ => defaults.VqVae.MaterialWeight };
        var vqLr = new Option<float>("--vqvae-lr") { Description = "Peak learning rate of the autoencoder (cosine schedule).", DefaultValueFactory = _ => defaults.VqVaeLearningRate };
        var stage = new Option<string>("--stage") { Description = "all: the VQ-VAE, then the prior. decoder: only a decoder, on the frozen codes of --from. painter: only a material painter (blocks from the words), beside the frozen model of --from, on a v2 corpus.", DefaultValueFactory = _ => defaults.Stage };
        var from = new Option<string?>("--from") { Description = "--stage decoder or painter: the finished checkpoint whose encoder, codebook and prior are kept." };
        var decoderSteps = new Option<int>("--decoder-steps") { DefaultValueFactory = _ => defaults.DecoderSteps };
        var decoderBatch = new Option<int>("--decoder-batch") { DefaultValueFactory = _ => defaults.DecoderBatch };
        var decoderLr = new Option<float>("--decoder-lr") { DefaultValueFactory = _ => defaults.DecoderLearningRate };
        var decoderChannels = new Option<int?>("--decoder-channels") { Description = "The new decoder's trunk width (default: the source's)." };
        var decoderResBlocks = new Option<int?>("--decoder-res-blocks") { Description = "The new decoder's trunk residual blocks (default: the source's)." };
        var decoderUpResBlocks = new Option<int?>("--decoder-up-res-blocks") { Description = "Residual blocks after each inner upsampling (default: the source's)." };
        var decodeSteps = new Option<int>("--decode-steps") { Description = "Default parallel decoding steps recorded in the written checkpoint (what generation uses unless a request sets its own).", DefaultValueFactory = _ => defaults.Prior.DecodeSteps };
        var priorFrom = new Option<string?>("--prior-from") { Description = "Continue the prior of this finished checkpoint for --prior-steps new steps, its autoencoder frozen (a prior fine-tune); new words of --corpus grow its vocabulary, the old ids kept." };
        var priorLr = new Option<float>("--prior-lr") { Description = "Peak learning rate of the prior (cosine schedule).", DefaultValueFactory = _ => defaults.PriorLearningRate };
        var textDropout = new Option<double>("--text-dropout") { Description = "Share of prior examples trained without their text (needed by --guidance).", DefaultValueFactory = _ => defaults.PriorTextDropout };
        var guidance = new Option<float>("--guidance") { Description = "Default classifier-free guidance weight recorded in the written checkpoint (0 = off).", DefaultValueFactory = _ => defaults.Prior.Guidance };
        var halfMask = new Option<double>("--prior-half-mask") { Description = "Share of prior examples given one x-half whole, the other half to predict (teaches completing a side from the other; 0 = off).", DefaultValueFactory = _ => defaults.PriorHalfMaskFraction };
        var mirrorTied = new Option<bool>("--mirror-tied") { Description = "Record mirror-tied decoding (where the text states symmetry) as the written checkpoint's default.", DefaultValueFactory = _ => defaults.Prior.MirrorTied };
        var halfFirst = new Option<bool>("--mirror-half-first") { Description = "Record that mirror-tied decodes settle the left half first (for a prior trained with --prior-half-mask).", DefaultValueFactory = _ => defaults.Prior.MirrorHalfFirst };
        var guidanceStart = new Option<float>("--guidance-start") { Description = "Share of the decoding steps run before guidance starts, recorded in the written checkpoint.", DefaultValueFactory = _ => defaults.Prior.GuidanceStart };
        var materials = new Option<bool>("--materials") { Description = "Give the autoencoder a material channel (every block of the world) and train it on the blocks of a v2 corpus (--corpus FILE from `vqvae corpus --composed`; Model/MODEL.md, \"Materials\")." };
        var painterSteps = new Option<int>("--painter-steps") { Description = "Steps of the painter stage.", DefaultValueFactory = _ => defaults.PainterSteps };
        var painterBatch = new Option<int>("--painter-batch") { Description = "Painted shapes a painter step.", DefaultValueFactory = _ => defaults.PainterBatch };
        var painterLr = new Option<float>("--painter-lr") { Description = "Peak learning rate of the painter (cosine schedule).", DefaultValueFactory = _ => defaults.PainterLearningRate };
        var painterInput = new Option<string>("--painter-input")
        {
            Description = "--stage painter: the occupancy painted in training: 'true' (the corpus's shapes) or 'reconstructed' (the frozen autoencoder's reconstructions of them, what it paints at inference; loss on voxels occupied in both).",
            DefaultValueFactory = _ => PainterInputs.Name(defaults.PainterInput),
        };
        var painterSlots = new Option<int>("--painter-slots")
        {
            Description = "--stage painter: 0, the painter whose voxels read the words; N > 0, the factored painter: the voxels choose among N material slots (latent, or the parts walls, roof, towers, ... with --painter-slot-weight) from the grid alone, and each slot's block is read from the words alone (MODEL.md 4b).",
            DefaultValueFactory = _ => defaults.Painter.Slots,
        };
        var painterTextLayers = new Option<int>("--painter-text-layers")
        {
            Description = "--stage painter: bidirectional transformer blocks over the description's tokens (the painter's text encoder).",
            DefaultValueFactory = _ => defaults.Painter.TextLayers,
        };
        var painterSlotReading = new Option<string>("--painter-slot-reading")
        {
            Description = "--stage painter, factored: how a slot reads the words. 'encoded': it points at and reads the text encoder's output; 'words': it points at the encoded words and reads each word's own embedding; 'local': it points by a window of 4 tokens either side of each word and reads the word's own embedding; 'neighbours': as 'local' but the window leaves the word itself out, with one score a word shared by every slot (MODEL.md 4b).",
            DefaultValueFactory = _ => defaults.Painter.SlotReading.ToString().ToLowerInvariant(),
        };
        painterSlotReading.AcceptOnlyFromAmong("encoded", "words", "local", "neighbours");
        var painterWindowPositions = new Option<bool>("--painter-window-positions")
        {
            Description = "--stage painter, with --painter-slot-weight: the windows slot is taught where windows go whether or not the building has them, glass when it has them, else the walls' block (the occupancy gives the place, the words the glass; MODEL.md 4b).",
        };
        var painterSlotWeight = new Option<float>("--painter-slot-weight")
        {
            Description = "--stage painter, factored: weight of the slot loss that teaches the slots the part that set each voxel of a composed record (walls, roof, towers, chimney, columns, stairs, windows); 0 leaves them latent. Needs --painter-slots 7 or more.",
            DefaultValueFactory = _ => defaults.PainterSlotWeight,
        };
        painterInput.AcceptOnlyFromAmong(PainterInputs.True, PainterInputs.Reconstructed);
        var decoderFresh = new Option<bool>("--decoder-fresh") { Description = "Start from fresh weights (default: continue the source's decoder, or grow it into a wider or deeper one)." };
        var command = new Command("train", "Train the VQ-VAE, then the text-conditioned prior (or, --stage decoder, only a decoder; --stage painter, only a material painter); resumable; writes model.ckpt.")
        {
            output, corpus, corpusSeed, corpusCount, vqSteps, priorSteps, vqBatch, priorBatch, evalEvery, seed, device, threads, noResume, autoencoderFrom,
            autoencoderInit, vqLr, codebookSize, materialWeight,
            stage, from, decoderSteps, decoderBatch, decoderLr, decoderChannels, decoderResBlocks, decoderUpResBlocks, decoderFresh, decodeSteps,
            priorFrom, priorLr, textDropout, halfMask, guidance, guidanceStart, mirrorTied, halfFirst, materials, painterSteps, painterBatch, painterLr,
            painterInput, painterSlots, painterSlotWeight, painterTextLayers, painterSlotReading, painterWindowPositions,
        };
        command.SetAction(r => CliApp.Guard(() =>
        {
            var options = defaults with
            {
                OutputDir = r.GetValue(output)!,
                CorpusPath = r.GetValue(corpus),
                CorpusSeed = r.GetValue(corpusSeed),
                CorpusCount = r.GetValue(corpusCount),
                VqVaeSteps = r.GetValue(vqSteps),
                PriorSteps = r.GetValue(priorSteps),
                VqVaeBatch = r.GetValue(vqBatch),
                PriorBatch = r.GetValue(priorBatch),
                EvalEvery = r.GetValue(evalEvery),
                Seed = r.GetValue(seed),
                Device = r.GetValue(device)!,
                Threads = r.GetValue(threads),
                Resume = !r.GetValue(noResume),
                AutoencoderFrom = r.GetValue(autoencoderFrom),
                AutoencoderInit = r.GetValue(autoencoderInit),
                VqVaeLearningRate = r.GetValue(vqLr),
                Stage = r.GetValue(stage)!,
                From = r.GetValue(from),
                DecoderSteps = r.GetValue(decoderSteps),
                DecoderBatch = r.GetValue(decoderBatch),
                DecoderLearningRate = r.GetValue(decoderLr),
                DecoderChannels = r.GetValue(decoderChannels),
                DecoderResBlocks = r.GetValue(decoderResBlocks),
                DecoderUpResBlocks = r.GetValue(decoderUpResBlocks),
                DecoderFresh = r.GetValue(decoderFresh),
                PainterSteps = r.GetValue(painterSteps),
                PainterBatch = r.GetValue(painterBatch),
                PainterLearningRate = r.GetValue(painterLr),
                PainterInput = PainterInputs.Parse(r.GetValue(painterInput)!),
                Painter = defaults.Painter with
                {
                    Slots = r.GetValue(painterSlots), TextLayers = r.GetValue(painterTextLayers),
                    SlotReading = Enum.Parse<SlotReading>(r.GetValue(painterSlotReading)!, ignoreCase: true),
                },
                PainterSlotWeight = r.GetValue(painterSlotWeight),
                PainterWindowPositions = r.GetValue(painterWindowPositions),
                PriorFrom = r.GetValue(priorFrom),
                PriorLearningRate = r.GetValue(priorLr),
                PriorTextDropout = r.GetValue(textDropout),
                PriorHalfMaskFraction = r.GetValue(halfMask),
                Prior = defaults.Prior with
                {
                    DecodeSteps = r.GetValue(decodeSteps), Guidance = r.GetValue(guidance), GuidanceStart = r.GetValue(guidanceStart),
                    MirrorTied = r.GetValue(mirrorTied), MirrorHalfFirst = r.GetValue(halfFirst),
                    CodebookSize = r.GetValue(codebookSize),
                },
                VqVae = defaults.VqVae with
                {
                    Materials = r.GetValue(materials) ? Expert.VqVae.Materials.BlockMaterials.Count - 1 : 0,
                    CodebookSize = r.GetValue(codebookSize),
                    MaterialWeight = r.GetValue(materialWeight),
                },
            };
            options.Validate();
            var (train, validation) = TrainingData.Load(options);
            var progress = new LineProgress(Console.Out, every: 25);
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); progress.Message("stopping after this step; resume with the same command"); };
            var outcome = options.Stage switch
            {
                TrainOptions.DecoderStage => new DecoderTrainer(options, progress).Train(train, validation, cancel.Token),
                TrainOptions.PainterStage => new PainterTrainer(options, progress).Train(train, validation, cancel.Token),
                _ => new ImaginationTrainer(options, progress).Train(train, validation, cancel.Token),
            };
            Console.WriteLine($"model: {outcome.ModelPath} ({outcome.Header.ModelVersion}), wall time {outcome.WallTime:hh\\:mm\\:ss}");
            foreach (var (k, v) in outcome.Header.Metrics) Console.WriteLine($"  {k} = {v:F4}");
            return 0;
        }));
        return command;
    }
}
