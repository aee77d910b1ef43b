using System.Diagnostics;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Inference;

/// <summary>
/// The trained imagination model: description -> tokens -> code grid (parallel decoding of the
/// prior) -> occupancy (VQ-VAE decoder, threshold 0.5) -> blocks, when the checkpoint has a material
/// painter (the painter paints the occupancy from the description with its own tokenizer) or else a
/// material channel (the codes carry the blocks). Thread safe: calls are serialised, and
/// callers get throughput by batching (a batch is one prior pass per decoding step).
/// </summary>
public sealed class OccupancyModel : IOccupancyGenerator, IDisposable
{
    private readonly VqVae3d _vqvae;
    private readonly TextConditionedPrior _prior;
    private readonly DescriptionTokenizer _tokenizer;
    private readonly MaterialPainter? _painter;
    private readonly DescriptionTokenizer? _painterTokenizer;
    private readonly MaskedCodeSampler _sampler;
    private readonly Device _device;
    private readonly Lock _gate = new();

    private OccupancyModel(CheckpointHeader header, VqVae3d vqvae, TextConditionedPrior prior, MaterialPainter? painter, Device device)
    {
        if (painter is not null && (header.Painter != painter.Config || header.PainterTokenizerBpeIds is not { Length: > 0 }))
            throw new ArgumentException("A painter needs its config and its tokenizer in the header (CheckpointHeader.Painter, PainterTokenizerBpeIds).");
        if (painter is not null && painter.Config.GridSize != header.VqVae.GridSize)
            throw new ArgumentException($"The painter paints {painter.Config.GridSize}^3 grids; the autoencoder makes {header.VqVae.GridSize}^3 ones.");
        Header = header;
        _vqvae = vqvae;
        _prior = prior;
        _painter = painter;
        _device = device;
        _tokenizer = new DescriptionTokenizer(header.TokenizerBpeIds);
        _painterTokenizer = painter is null ? null : new DescriptionTokenizer(header.PainterTokenizerBpeIds!);
        EmptyCode = header.EmptyCode ?? -1;
        _sampler = new MaskedCodeSampler(prior, EmptyCode);
        long parameters = vqvae.parameters().Sum(p => p.numel()) + prior.parameters().Sum(p => p.numel())
            + (painter?.parameters().Sum(p => p.numel()) ?? 0);
        // The blocks come from the painter when there is one (its K blocks win over a material channel's), else from the
        // material channel; empty: occupancy only.
        int blocks = painter?.Config.Blocks ?? header.VqVae.Materials;
        Info = new ModelInfo(header.ModelVersion, device.ToString(), header.VqVae.GridSize, parameters,
            BlockMaterials.Blocks.Take(blocks).ToArray());
    }

    public CheckpointHeader Header { get; }

    /// <summary>The prior's code for empty space (see <see cref="MaskedCodeSampler"/>), or -1 if the checkpoint has none.</summary>
    public long EmptyCode { get; }
    public ModelInfo Info { get; }
    public DescriptionTokenizer Tokenizer => _tokenizer;
    public int GridSize => Header.VqVae.GridSize;

    /// <summary>True when the checkpoint has a material painter: blocks come from it (<see cref="Paint"/>).</summary>
    public bool HasPainter => _painter is not null;

    /// <summary>
    /// How <paramref name="sampling"/> decodes: its steps, guidance weight and guidance start where
    /// it sets them, else the defaults recorded in the checkpoint (<see cref="PriorConfig.DecodeSteps"/>,
    /// <see cref="PriorConfig.Guidance"/>, <see cref="PriorConfig.GuidanceStart"/>).
    /// </summary>
    public Decoding DecodingOf(SamplingOptions sampling)
    {
        var defaults = Header.Prior ?? _prior.Config;   // a trainer's header can carry other inference defaults than the module
        int steps = sampling.DecodeSteps > 0 ? sampling.DecodeSteps : defaults.DecodeSteps;
        return new Decoding(steps, sampling.Guidance ?? defaults.Guidance,
            PriorConfig.FirstGuidedStep(sampling.GuidanceStart ?? defaults.GuidanceStart, steps),
            sampling.MirrorTied ?? defaults.MirrorTied, sampling.MirrorHalfFirst ?? defaults.MirrorHalfFirst);
    }

    /// <summary>
    /// Whether a job for <paramref name="description"/> decodes mirror-tied: the decoding asks for it, the checkpoint has an
    /// empty code (the tie decides built or empty) and the description states symmetry (<see cref="DescriptionParser"/>,
    /// the words of the corpora's descriptions: "symmetric", "symmetrical", "balanced", "mirror-symmetric", "mirrored").
    /// </summary>
    public bool TiesMirror(string description, Decoding decoding) =>
        decoding.MirrorTied && EmptyCode >= 0 && DescriptionParser.Parse(description).Attributes.Symmetry == SymmetryKind.Symmetric;

    /// <summary>Loads a trained checkpoint (stage "prior" or "done") onto a device ("auto", "cpu", "cuda").</summary>
    public static OccupancyModel Load(string checkpointPath, string device = "auto")
    {
        TorchRuntime.Initialize();
        if (!File.Exists(checkpointPath))
            throw new FileNotFoundException($"No checkpoint at '{Path.GetFullPath(checkpointPath)}'. Train one with `vqvae train` or point the option at the shipped src/Expert.VqVae/Checkpoints/default.ckpt.", checkpointPath);
        var dev = TorchRuntime.ResolveDevice(device);
        var loaded = ModelCheckpoint.Load(checkpointPath);
        if (loaded.Prior is null)
        {
            loaded.VqVae.Dispose();
            throw new InvalidDataException($"Checkpoint '{checkpointPath}' holds only the autoencoder (stage '{loaded.Header.Stage}'); train the prior stage before serving it.");
        }
        loaded.VqVae.to(dev).eval();
        loaded.Prior.to(dev).eval();
        loaded.Painter?.to(dev).eval();
        return new OccupancyModel(loaded.Header, loaded.VqVae, loaded.Prior, loaded.Painter, dev);
    }

    /// <summary>
    /// Wraps modules already in memory (training and tests). Without <paramref name="painter"/> the model does not paint,
    /// whatever the header says (a trainer measuring shapes alone).
    /// </summary>
    public static OccupancyModel FromModules(CheckpointHeader header, VqVae3d vqvae, TextConditionedPrior prior, Device device, MaterialPainter? painter = null)
    {
        vqvae.eval();
        prior.eval();
        painter?.eval();
        return new OccupancyModel(header, vqvae, prior, painter, device);
    }

    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> batch, CancellationToken cancellationToken = default)
    {
        if (batch.Count == 0) return [];
        var jobs = new List<MaskedCodeSampler.Job>();
        var painterTokens = new List<int[]>();
        foreach (var request in batch)
        {
            var errors = request.Sampling.Validate();
            if (errors.Count > 0)
                throw new ArgumentException($"Invalid sampling option {errors[0].Field}: {errors[0].Message}");
            if (string.IsNullOrWhiteSpace(request.Description))
                throw new ArgumentException("The description is empty.");
            int[] tokens = _tokenizer.Encode(request.Description, _prior.Config.MaxTextTokens);
            int[] paintTokens = PainterTokens(request.Description);
            var decoding = DecodingOf(request.Sampling);
            bool mirror = TiesMirror(request.Description, decoding);
            for (int s = 0; s < request.Sampling.Samples; s++)
            {
                jobs.Add(new MaskedCodeSampler.Job(tokens, unchecked(request.Sampling.Seed + (ulong)s),
                    request.Sampling.Temperature, request.Sampling.TopK, decoding.Steps,
                    Guidance: decoding.Guidance, GuidedFrom: decoding.GuidedFrom, MirrorX: mirror, HalfFirst: decoding.MirrorHalfFirst));
                painterTokens.Add(paintTokens);
            }
        }

        lock (_gate)
        {
            var clock = Stopwatch.StartNew();
            var (grids, blocks) = DecodeJobs(jobs, painterTokens, cancellationToken);
            var elapsed = clock.Elapsed;
            var results = new List<GenerationResult>(batch.Count);
            int at = 0;
            foreach (var request in batch)
            {
                results.Add(new GenerationResult(grids.GetRange(at, request.Sampling.Samples), elapsed,
                    blocks?.GetRange(at, request.Sampling.Samples)));
                at += request.Sampling.Samples;
            }
            return results;
        }
    }

    /// <summary>
    /// Completion or editing: keeps the codes of the cells of <paramref name="partial"/> that
    /// <paramref name="keep"/> marks (a code is kept when its whole 4^3 block is marked) and
    /// lets the prior fill in the rest from the description.
    /// </summary>
    public OccupancyGrid Complete(string description, OccupancyGrid partial, OccupancyGrid keep, SamplingOptions sampling, CancellationToken cancellationToken = default)
    {
        int size = GridSize;
        if (partial.SizeX != size || partial.SizeY != size || partial.SizeZ != size || keep.SizeX != size || keep.SizeY != size || keep.SizeZ != size)
            throw new ArgumentException($"Completion works on {size}^3 grids.");
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            using var input = ToTensor([partial], size);
            var codes = _vqvae.Encode(input).reshape(-1).cpu().data<long>().ToArray();
            int g = Header.VqVae.CodeGridSize, cell = size / g;
            for (int i = 0; i < codes.Length; i++)
            {
                int cx = i % g, cz = i / g % g, cy = i / (g * g);
                if (!BlockFullyMarked(keep, cx * cell, cy * cell, cz * cell, cell)) codes[i] = -1;
            }
            var decoding = DecodingOf(sampling);
            var job = new MaskedCodeSampler.Job(_tokenizer.Encode(description, _prior.Config.MaxTextTokens), sampling.Seed,
                sampling.Temperature, sampling.TopK, decoding.Steps, codes, decoding.Guidance, decoding.GuidedFrom, TiesMirror(description, decoding), decoding.MirrorHalfFirst);
            var sampled = _sampler.Sample([job], _device, cancellationToken);
            return ToGrids(_vqvae.Decode(sampled), size)[0];
        }
    }

    /// <summary>
    /// Encodes and decodes grids through the autoencoder alone (no text): its reconstructions, through
    /// the same canonical code grids the prior generates when the checkpoint has an empty code.
    /// </summary>
    public IReadOnlyList<OccupancyGrid> Reconstruct(IReadOnlyList<OccupancyGrid> grids, int batch = 32)
    {
        var result = new List<OccupancyGrid>(grids.Count);
        lock (_gate)
        {
            for (int at = 0; at < grids.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var chunk = grids.Skip(at).Take(batch).ToList();
                using var input = ToTensor(chunk, GridSize);
                result.AddRange(ToGrids(ReconstructedOccupancy(input), GridSize));
            }
        }
        return result;
    }

    /// <summary>
    /// Encodes and decodes grids with their blocks through the autoencoder alone (no text), for a
    /// checkpoint with a material channel: the reconstructed occupancy with a block on every occupied
    /// voxel. A block the channel does not have is refused (<see cref="MaterialTensors.Input"/>).
    /// A checkpoint with a painter paints from words: it needs the overload with descriptions.
    /// </summary>
    public IReadOnlyList<MaterialGrid> ReconstructWithMaterials(IReadOnlyList<MaterialGrid> grids, int batch = 32) =>
        ReconstructWithMaterials(grids, null, batch);

    /// <summary>
    /// The reconstruction of grids with blocks, with a block on every occupied voxel. With a painter: the autoencoder
    /// reconstructs the occupancy (from the grid and its blocks when it has a material channel, else from the
    /// occupancy), then the painter paints it from <paramref name="descriptions"/> (one a grid, required). Without one:
    /// the material channel's blocks (<paramref name="descriptions"/> is not read); an occupancy-only checkpoint refuses.
    /// </summary>
    public IReadOnlyList<MaterialGrid> ReconstructWithMaterials(IReadOnlyList<MaterialGrid> grids, IReadOnlyList<string>? descriptions, int batch = 32)
    {
        if (_painter is not null) return ReconstructAndPaint(grids, descriptions, batch);
        if (_vqvae.Config.Materials == 0)
            throw new InvalidOperationException("This checkpoint imagines occupancy only (no material channel, no painter): use Reconstruct.");
        var result = new List<MaterialGrid>(grids.Count);
        lock (_gate)
        {
            for (int at = 0; at < grids.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var chunk = grids.Skip(at).Take(batch).ToList();
                using var input = MaterialTensors.Input(chunk, _vqvae.Config.Materials, _device);
                var codes = _vqvae.Encode(input);
                var (occupancy, classes) = _vqvae.DecodeWithMaterials(codes);
                result.AddRange(MaterialTensors.ToGrids(occupancy, classes));
            }
        }
        return result;
    }

    /// <summary>
    /// Paints grids from their descriptions with the checkpoint's material painter: the same occupancy with a block on
    /// every occupied voxel. A grid's blocks depend only on its own grid and description, never on its batch mates.
    /// </summary>
    public IReadOnlyList<MaterialGrid> Paint(IReadOnlyList<OccupancyGrid> grids, IReadOnlyList<string> descriptions)
    {
        if (_painter is null) throw new InvalidOperationException("This checkpoint has no material painter (train one with `vqvae train --stage painter`).");
        if (descriptions.Count != grids.Count) throw new ArgumentException($"{grids.Count} grids need {grids.Count} descriptions, got {descriptions.Count}.", nameof(descriptions));
        if (grids.Any(g => g.SizeX != GridSize || g.SizeY != GridSize || g.SizeZ != GridSize))
            throw new ArgumentException($"The painter paints {GridSize}^3 grids.", nameof(grids));
        var tokens = descriptions.Select(PainterTokens).ToList();
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var result = new List<MaterialGrid>(grids.Count);
            for (int at = 0; at < grids.Count; at += PaintBatch)
            {
                using var occupancy = ToOccupancyTensor(grids.Skip(at).Take(PaintBatch).ToList(), GridSize);
                result.AddRange(PaintOccupancy(occupancy, tokens.Skip(at).Take(PaintBatch).ToList()));
            }
            return result;
        }
    }

    /// <summary>Grids painted at a time: bounds the painter's activations (about 8 MB a grid at its default width).</summary>
    private const int PaintBatch = 16;

    private int[] PainterTokens(string description) =>
        _painter is null ? [] : _painterTokenizer!.Encode(description, _painter.Config.MaxTextTokens);

    /// <summary>Occupancy probabilities [N, 1, G, G, G] (occupied above 0.5) painted: grids with a block on every occupied voxel.</summary>
    private List<MaterialGrid> PaintOccupancy(Tensor probabilities, IReadOnlyList<int[]> tokens)
    {
        var painted = new List<MaterialGrid>(tokens.Count);
        for (int at = 0; at < tokens.Count; at += PaintBatch)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(PaintBatch, tokens.Count - at);
            var occupied = probabilities.narrow(0, at, n).gt(0.5f).to(ScalarType.Float32);
            var text = _painter!.TextTensor(tokens.Skip(at).Take(n).ToList(), _device);
            painted.AddRange(MaterialTensors.ToGrids(occupied, _painter.Paint(occupied, text)));
        }
        return painted;
    }

    private List<MaterialGrid> ReconstructAndPaint(IReadOnlyList<MaterialGrid> grids, IReadOnlyList<string>? descriptions, int batch)
    {
        if (descriptions is null || descriptions.Count != grids.Count)
            throw new ArgumentException("This checkpoint paints its blocks from the words: pass one description per grid.", nameof(descriptions));
        var tokens = descriptions.Select(PainterTokens).ToList();
        var result = new List<MaterialGrid>(grids.Count);
        lock (_gate)
        {
            for (int at = 0; at < grids.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var chunk = grids.Skip(at).Take(batch).ToList();
                using var input = _vqvae.Config.Materials > 0
                    ? MaterialTensors.Input(chunk, _vqvae.Config.Materials, _device)
                    : ToTensor(chunk.Select(g => g.ToOccupancy()).ToList(), GridSize);
                result.AddRange(PaintOccupancy(ReconstructedOccupancy(input), tokens.Skip(at).Take(chunk.Count).ToList()));
            }
        }
        return result;
    }

    /// <summary>
    /// Voxels [B, C, G, G, G] through the autoencoder: occupancy probabilities [B, 1, G, G, G], through the same canonical
    /// code grids the prior generates when the checkpoint has an empty code.
    /// </summary>
    private Tensor ReconstructedOccupancy(Tensor input) => _vqvae.ReconstructedOccupancy(input, EmptyCode);

    /// <summary>
    /// The sampled grids, and their blocks: painted from the words when the checkpoint has a painter, else from the
    /// material channel when the autoencoder has one, else null (never guessed).
    /// </summary>
    private (List<OccupancyGrid> Grids, List<MaterialGrid>? Blocks) DecodeJobs(List<MaskedCodeSampler.Job> jobs, List<int[]> painterTokens,
        CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var codes = _sampler.Sample(jobs, _device, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (_painter is not null)
        {
            using var probabilities = _vqvae.Decode(codes);
            return (ToGrids(probabilities, GridSize), PaintOccupancy(probabilities, painterTokens));
        }
        if (_vqvae.Config.Materials == 0)
        {
            using var probabilities = _vqvae.Decode(codes);
            return (ToGrids(probabilities, GridSize), null);
        }
        var (occupancy, classes) = _vqvae.DecodeWithMaterials(codes);
        var blocks = MaterialTensors.ToGrids(occupancy, classes);
        return (blocks.Select(b => b.ToOccupancy()).ToList(), blocks);
    }

    /// <summary>
    /// Grids to a [B, C, G, G, G] float tensor in storage order (y, z, x). C = 1, or with a material
    /// channel 1 + K with the block channels left at zero (an occupancy-only input: no block is known).
    /// </summary>
    internal Tensor ToTensor(IReadOnlyList<OccupancyGrid> grids, int size)
    {
        if (_vqvae.Config.VoxelChannels == 1) return ToOccupancyTensor(grids, size);
        int channels = _vqvae.Config.VoxelChannels, volume = size * size * size;
        var data = new float[grids.Count * channels * volume];
        for (int i = 0; i < grids.Count; i++) grids[i].ToFloats().CopyTo(data, i * channels * volume);
        return tensor(data, new long[] { grids.Count, channels, size, size, size }, device: _device);
    }

    /// <summary>Grids to a [B, 1, G, G, G] float tensor of 0/1 (the painter's input).</summary>
    private Tensor ToOccupancyTensor(IReadOnlyList<OccupancyGrid> grids, int size)
    {
        int volume = size * size * size;
        var data = new float[grids.Count * volume];
        for (int i = 0; i < grids.Count; i++) grids[i].ToFloats().CopyTo(data, i * volume);
        return tensor(data, new long[] { grids.Count, 1, size, size, size }, device: _device);
    }

    private static List<OccupancyGrid> ToGrids(Tensor probabilities, int size)
    {
        var values = probabilities.cpu().data<float>().ToArray();
        int volume = size * size * size;
        var grids = new List<OccupancyGrid>((int)probabilities.shape[0]);
        for (int i = 0; i < probabilities.shape[0]; i++)
            grids.Add(OccupancyGrid.FromFloats(size, size, size, values.AsSpan(i * volume, volume)));
        return grids;
    }

    private static bool BlockFullyMarked(OccupancyGrid keep, int x0, int y0, int z0, int cell)
    {
        for (int y = y0; y < y0 + cell; y++)
            for (int z = z0; z < z0 + cell; z++)
                for (int x = x0; x < x0 + cell; x++)
                    if (!keep[x, y, z]) return false;
        return true;
    }

    public void Dispose()
    {
        _vqvae.Dispose();
        _prior.Dispose();
        _painter?.Dispose();
    }
}
