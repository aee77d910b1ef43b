using Expert.VqVae.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Inference;

/// <summary>
/// Parallel iterative decoding of the code grid (MaskGIT): start fully masked; at each of S steps
/// the prior predicts every masked code at once, a code is drawn for each (temperature, top-k,
/// from the sample's own seeded generator), and only the most confident draws are kept, so that
/// after step s a fraction cos(pi/2 * (s+1)/S) of the codes is still masked. Each sample uses
/// its own random stream, so its result does not depend on the other samples in the batch.
/// </summary>
public sealed class MaskedCodeSampler
{
    private readonly TextConditionedPrior _prior;
    private readonly long _emptyCode;

    /// <param name="emptyCode">
    /// The code of empty space, or -1. Many codes hold a part of a building and one holds empty
    /// space, so a code-level arg max favours "empty" even where the prior thinks a block is more
    /// likely built than not. With an empty code, each draw first decides built or empty by the
    /// summed probability of each side, then the code within the side; confidence is the
    /// probability of the side taken.
    /// </param>
    public MaskedCodeSampler(TextConditionedPrior prior, long emptyCode = -1)
    {
        _prior = prior;
        _emptyCode = emptyCode;
    }

    /// <summary>One sample to decode.</summary>
    /// <param name="Tokens">The description's token ids.</param>
    /// <param name="Seed">Seed of the sample's random stream.</param>
    /// <param name="Known">Optional [Codes] code ids to keep (completion or editing); -1 where free.</param>
    /// <param name="Guidance">Classifier-free guidance weight w (0 = off); see <see cref="PriorConfig.Guidance"/>.</param>
    /// <param name="GuidedFrom">The first step with guidance (<see cref="OccupancyModel.DecodingOf"/>); earlier steps run unguided.</param>
    /// <param name="MirrorX">
    /// Mirror-tied decoding (the text states symmetry): a code cell and its mirror image across the grid's x centre plane
    /// are decided built or empty together (<see cref="BuiltOrEmptyStep"/>); which built code each gets stays the prior's
    /// own choice. Needs an empty code; ignored without one.
    /// </param>
    /// <param name="HalfFirst">
    /// With <paramref name="MirrorX"/>: the first half of the steps (rounded up) decide only the left x-half's cells (each
    /// pair's side from both cells' log odds), the rest the right half's, given the whole left half.
    /// </param>
    public sealed record Job(int[] Tokens, ulong Seed, float Temperature, int TopK, int Steps, long[]? Known = null, float Guidance = 0f, int GuidedFrom = 0,
        bool MirrorX = false, bool HalfFirst = false);

    /// <summary>Decodes a batch; returns code grids [N, g, g, g] (int64) on the prior's device.</summary>
    /// <remarks>
    /// Decoding works in the prior's group order (code j of group i at i * CodesPerGroup + j), so the
    /// [N, codes, K] logits never need reordering; the finished codes are put back in grid order at the
    /// end. With an empty code, only the codes still masked get logits and a draw at each step.
    /// At a guided step (of any sample), the prior runs once on [texts ; no texts] (the same codes
    /// twice): the text-free half has no text rows to compute, so it costs less than the first.
    /// </remarks>
    public Tensor Sample(IReadOnlyList<Job> jobs, Device device, CancellationToken cancellationToken)
    {
        var c = _prior.Config;
        int n = jobs.Count;
        int codes = c.Codes;
        int steps = jobs.Max(j => j.Steps);
        using var scope = NewDisposeScope();

        var text = TextBatch(jobs, c, device);
        var unguidedText = zeros_like(text);                                        // no text: every token is padding
        var current = full(new long[] { n, codes }, c.MaskId, dtype: ScalarType.Int64, device: device);
        var masked = ones(new long[] { n, codes }, dtype: ScalarType.Bool, device: device);
        for (int i = 0; i < n; i++)
        {
            if (jobs[i].Known is not { } known) continue;
            if (known.Length != codes) throw new ArgumentException($"Known codes must have {codes} entries.");
            using var k = _prior.Group(tensor(known, device: device).view(1, c.CodeGridSize, c.CodeGridSize, c.CodeGridSize)).view(codes);
            using var given = k.ge(0);
            current[i].masked_scatter_(given, k.masked_select(given));
            masked[i].masked_fill_(given, false);
        }

        var mirror = jobs.Any(j => j.MirrorX) ? MirrorOrder(device) : null;
        var generators = jobs.Select(j => new Generator(j.Seed, device)).ToArray();
        try
        {
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var weights = GuidanceWeights(jobs, step, device);                 // null when no sample is guided now
                bool guided = weights is not null;
                using var grouped = current.view(n, c.Groups, c.CodesPerGroup);
                using var textIn = guided ? cat(new[] { text, unguidedText }, 0) : text.alias();
                using var groupedIn = guided ? cat(new[] { grouped, grouped }, 0) : grouped.alias();
                using var features = _prior.CodeFeatures(textIn, groupedIn);           // [N (x2 when guided), G, P, E]
                if (_emptyCode >= 0)
                {
                    using var rows = masked.view(-1).nonzero().squeeze(1);               // the codes still to draw
                    if (rows.shape[0] == 0) break;
                    using var rowLogits = RowLogits(features, n, rows, weights);         // [M, K]
                    BuiltOrEmptyStep(jobs, step, c.MaskId, _emptyCode, rowLogits, rows, current, masked, generators, mirror);
                    continue;
                }
                using var all = arange(n * codes, dtype: ScalarType.Int64, device: device);
                using var logits = RowLogits(features, n, all, weights).view(n, codes, c.CodebookSize);
                for (int i = 0; i < n; i++)
                {
                    var job = jobs[i];
                    if (step >= job.Steps) continue;
                    DecodeStep(job, step, c.MaskId, logits[i], current[i], masked[i], generators[i]);
                }
            }
            return _prior.Ungroup(current.view(n, c.Groups, c.CodesPerGroup)).MoveToOuterDisposeScope();
        }
        finally
        {
            foreach (var g in generators) g.Dispose();
            mirror?.Dispose();
        }
    }

    /// <summary>
    /// [Codes] the x-mirror of every code position, in the prior's group order: position q holds the cell (y, z, x) and
    /// mirror[q] the cell (y, z, g - 1 - x). The corpus centres buildings on x (Voxels/LAYOUT.md) and a code covers a
    /// whole 4^3 block, so for a building of even width the cell mirror is exactly the voxel mirror.
    /// </summary>
    private MirrorLayout MirrorOrder(Device device)
    {
        var c = _prior.Config;
        using var scope = NewDisposeScope();
        var cells = arange(c.Codes, dtype: ScalarType.Int64, device: device).view(1, c.CodeGridSize, c.CodeGridSize, c.CodeGridSize);
        var cellAt = _prior.Group(cells).reshape(c.Codes);                         // group-order position -> cell
        var mirrorCellAt = _prior.Group(cells.flip(3)).reshape(c.Codes);           // group-order position -> its mirror's cell
        var positionOf = empty_like(cellAt).scatter_(0, cellAt, arange(c.Codes, dtype: ScalarType.Int64, device: device));
        return new MirrorLayout(positionOf.index_select(0, mirrorCellAt).MoveToOuterDisposeScope(), _prior.RightHalf(device).MoveToOuterDisposeScope());
    }

    /// <summary>[Codes] each group-order position's x-mirror, and [Codes] true where the position's cell is in the right x-half.</summary>
    internal sealed record MirrorLayout(Tensor Mirror, Tensor Right) : IDisposable
    {
        public void Dispose()
        {
            Mirror.Dispose();
            Right.Dispose();
        }
    }

    /// <summary>[N] guidance weights of the samples at <paramref name="step"/> (0 where not guided), or null when none is.</summary>
    private static Tensor? GuidanceWeights(IReadOnlyList<Job> jobs, int step, Device device)
    {
        var w = jobs.Select(j => j.Guidance > 0f && step >= j.GuidedFrom && step < j.Steps ? j.Guidance : 0f).ToArray();
        return w.Any(v => v > 0f) ? tensor(w, device: device) : null;
    }

    /// <summary>
    /// Logits [M, K] of the codes <paramref name="rows"/> (flat sample * codes + code indices). With
    /// guidance weights w (one per sample), cond + w * (cond - uncond), where the text-free half of
    /// <paramref name="features"/> gives uncond. The output layer is affine, so that is the logits of
    /// the guided output vectors f_cond + w * (f_cond - f_uncond): one [M, E] x [E, K] product, not two.
    /// A sample with w = 0 gets its conditional logits exactly.
    /// </summary>
    private Tensor RowLogits(Tensor features, int n, Tensor rows, Tensor? weights)
    {
        var c = _prior.Config;
        long codes = c.Codes;
        using var cond = features.narrow(0, 0, n).reshape(n * codes, c.CodeEmbedDim).index_select(0, rows);
        if (weights is null) return _prior.CodeLogits(cond);
        using var uncond = features.narrow(0, n, n).reshape(n * codes, c.CodeEmbedDim).index_select(0, rows);
        using var sample = rows.div(codes, rounding_mode: RoundingMode.floor);
        using var w = weights.index_select(0, sample).unsqueeze(1);                  // [M, 1]
        using var direction = cond - uncond;
        using var push = direction * w;
        using var guided = cond + push;
        return _prior.CodeLogits(guided);
    }

    private static void DecodeStep(Job job, int step, long maskId, Tensor logits, Tensor current, Tensor masked, Generator generator)
    {
        long remaining = masked.sum().item<long>();
        if (remaining == 0) return;
        int codes = (int)current.shape[0];
        double ratio = Math.Cos(Math.PI / 2 * (step + 1) / job.Steps);
        long keepMasked = step == job.Steps - 1 ? 0 : Math.Min(remaining - 1, (long)Math.Floor(codes * ratio));
        keepMasked = Math.Max(0, keepMasked);

        Tensor sampled, confidence;
        if (job.Temperature <= 0f)
        {
            using var logProbs = logits.log_softmax(-1);
            var (best, index) = logProbs.max(-1);
            sampled = index;
            confidence = best;
        }
        else
        {
            using var scaled = logits / job.Temperature;
            using var filtered = TopK(scaled, job.TopK);
            using var probs = filtered.softmax(-1);
            using var draw = multinomial(probs, 1, replacement: true, generator: generator);
            sampled = draw.squeeze(1);
            using var logProbs = probs.log();
            using var picked = logProbs.gather(1, draw);
            // Annealed Gumbel noise on the confidence, as in MaskGIT: bolder early, sharper late.
            using var u = rand(new long[] { codes }, generator: generator, device: logits.device).clamp(1e-9, 1 - 1e-9);
            using var gumbel = -(-u.log()).log();
            double anneal = job.Temperature * (1.0 - (step + 1.0) / job.Steps);
            confidence = picked.squeeze(1) + gumbel * anneal;
        }
        using (sampled) using (confidence)
        {
            // Codes already known are never re-drawn: give them infinite confidence.
            using var conf = confidence.masked_fill(masked.logical_not(), double.PositiveInfinity);
            using var proposal = where(masked, sampled, current);
            current.copy_(proposal);
            masked.fill_(false);
            if (keepMasked > 0)
            {
                var (_, lowest) = conf.topk((int)keepMasked, largest: false);
                using (lowest)
                {
                    masked.index_fill_(0, lowest, true);
                    current.index_fill_(0, lowest, maskId);
                }
            }
        }
    }

    /// <summary>
    /// One built-or-empty decoding step for the whole batch at once (see the constructor), on the
    /// logits of the codes still masked only. Only the uniform random numbers are drawn per sample,
    /// each from its own generator and always for every code, so a sample's result depends only on its
    /// own seed; everything else is a handful of batched tensor operations over the masked codes.
    /// </summary>
    /// <param name="rowLogits">[M, K] logits of the masked codes listed in <paramref name="rows"/>.</param>
    /// <param name="rows">[M] flat indices (sample * codes + code) of the masked codes, ascending.</param>
    /// <param name="current">[N, codes] code ids (updated in place).</param>
    /// <param name="masked">[N, codes] true where still masked (updated in place).</param>
    /// <param name="layout">Each position's x-mirror and half (<see cref="MirrorOrder"/>), for the jobs with <see cref="Job.MirrorX"/>.</param>
    internal static void BuiltOrEmptyStep(IReadOnlyList<Job> jobs, int step, long maskId, long emptyCode,
        Tensor rowLogits, Tensor rows, Tensor current, Tensor masked, Generator[] generators, MirrorLayout? layout = null)
    {
        var mirror = layout?.Mirror;
        int n = jobs.Count, codes = (int)current.shape[1], k = (int)rowLogits.shape[1];
        var device = rowLogits.device;
        var remaining = masked.sum(1).cpu().data<long>().ToArray();
        var keep = new long[n];
        var temperature = new float[n];
        var anneal = new float[n];
        var topK = new long[n];
        var active = new bool[n];
        var uniforms = new Tensor[n];
        bool anyHalfFirst = layout is not null && jobs.Any(j => j.MirrorX && j.HalfFirst);
        var rightRemaining = anyHalfFirst ? masked.logical_and(layout!.Right.unsqueeze(0)).sum(1).cpu().data<long>().ToArray() : null;
        for (int i = 0; i < n; i++)
        {
            var job = jobs[i];
            active[i] = step < job.Steps && remaining[i] > 0;
            double ratio = Math.Cos(Math.PI / 2 * (step + 1) / job.Steps);
            keep[i] = !active[i] ? remaining[i] : step == job.Steps - 1 ? 0 : Math.Max(0, Math.Min(remaining[i] - 1, (long)Math.Floor(codes * ratio)));
            if (active[i] && anyHalfFirst && job.MirrorX && job.HalfFirst && step < job.Steps - 1)
                keep[i] = HalfFirstKeep(job.Steps, step, codes / 2, remaining[i], rightRemaining![i]);
            temperature[i] = Math.Max(job.Temperature, 0f);
            anneal[i] = (float)(job.Temperature * (1.0 - (step + 1.0) / job.Steps));
            topK[i] = job.TopK <= 0 || job.TopK >= k ? k : job.TopK;
            uniforms[i] = job.Temperature > 0f && active[i]
                ? rand(new long[] { 3, codes }, generator: generators[i], device: device)
                : full(new long[] { 3, codes }, 0.5f, device: device);
        }
        using var scope = NewDisposeScope();

        // Per-sample settings and random numbers, gathered to the masked rows.
        var sampleOf = rows.div(codes, rounding_mode: RoundingMode.floor);                    // [M]
        var uniformAll = stack(uniforms, 1).clamp(1e-9, 1 - 1e-9).view(3, n * codes);
        foreach (var t in uniforms) t.Dispose();
        var greedy = tensor(temperature.Select(t => t <= 0f).ToArray(), device: device).index_select(0, sampleOf);
        var temp = tensor(temperature.Select(t => t <= 0f ? 1f : t).ToArray(), device: device).index_select(0, sampleOf);
        var annealRow = tensor(anneal, device: device).index_select(0, sampleOf);

        // The built codes' logits: a view when the empty code is code 0 (MODEL.md), else a copy with
        // the empty code at -inf. `offset` turns a column of that view back into a code id.
        var (builtLogits, offset) = emptyCode == 0
            ? (rowLogits.narrow(1, 1, k - 1), 1L)
            : (rowLogits.index_fill(1, tensor(new[] { emptyCode }, device: device), double.NegativeInfinity), 0L);

        // Built or empty: the log odds of "empty" are the empty logit against all built ones together.
        var logOdds = rowLogits.select(1, emptyCode) - builtLogits.logsumexp(-1);              // [M]
        var u = uniformAll.index_select(1, rows);                                              // [3, M]
        if (mirror is not null && jobs.Any(j => j.MirrorX))
            (logOdds, u) = MirrorTied(jobs, emptyCode, logOdds, rows, sampleOf, current, uniformAll, mirror, u);
        var drawnEmpty = u[0].lt((logOdds / temp).sigmoid());
        var isEmpty = where(greedy, logOdds.ge(0), drawnEmpty);

        // The code within "built": arg max when greedy; else inverse-CDF sampling after a per-sample
        // top-k cut, for the rows drawn built only.
        var built = temperature.Any(t => t <= 0f)
            ? builtLogits.argmax(-1) + offset
            : zeros(new long[] { rows.shape[0] }, ScalarType.Int64, device);
        var draw = greedy.logical_or(isEmpty).logical_not().nonzero().squeeze(1);
        if (draw.shape[0] > 0)
        {
            var drawSample = sampleOf.index_select(0, draw);
            var rowTopK = tensor(topK.Select(v => Math.Min(v, builtLogits.shape[1])).ToArray(), device: device).index_select(0, drawSample);
            var drawn = DrawBuiltCode(builtLogits.index_select(0, draw), temp.index_select(0, draw), rowTopK,
                topK.All(v => v >= builtLogits.shape[1]), u[1].index_select(0, draw));
            built.index_copy_(0, draw, drawn + offset);
        }
        var sampled = where(isEmpty, full_like(built, emptyCode), built);

        // Confidence: log probability of the side taken, plus annealed Gumbel noise when sampling;
        // codes not masked are never re-drawn (infinite confidence).
        var side = where(isEmpty, nn.functional.logsigmoid(logOdds), nn.functional.logsigmoid(-logOdds)).clamp_min(-20.0);
        var gumbel = -(-u[2].log()).log();
        var rowConfidence = side + where(greedy, zeros_like(gumbel), gumbel * annealRow);
        if (anyHalfFirst)
        {
            // A half-first sample's right half stays masked, the least confident, until the left half is decided.
            var waits = tensor(jobs.Select(j => j.MirrorX && j.HalfFirst && step < (j.Steps + 1) / 2).ToArray(), device: device).index_select(0, sampleOf)
                .logical_and(layout!.Right.index_select(0, rows.remainder(codes)));
            rowConfidence = rowConfidence.masked_fill(waits, double.NegativeInfinity);
        }
        var confidence = full(new long[] { n * codes }, double.PositiveInfinity, device: device).index_copy(0, rows, rowConfidence).view(n, codes);
        var proposal = current.view(-1).index_copy(0, rows, sampled).view(n, codes);

        // Keep the keep[i] least confident codes of each sample masked; inactive samples stay as they are.
        var order = confidence.argsort(1);
        var ranks = empty_like(order);
        var positions = arange(codes, device: device).unsqueeze(0).expand(n, codes).contiguous();
        ranks.scatter_(1, order, positions);
        var stillMasked = ranks.lt(tensor(keep, device: device).view(n, 1));
        if (mirror is not null && jobs.Any(j => j.MirrorX))
        {
            // A pair shares its confidence, so only a pair at the cut is split: it stays masked whole.
            var tiedSample = tensor(jobs.Select(j => j.MirrorX && !j.HalfFirst).ToArray(), device: device).view(n, 1);
            stillMasked = stillMasked.logical_or(stillMasked.index_select(1, mirror).logical_and(tiedSample));
        }
        var activeT = tensor(active, device: device).view(n, 1);
        var withMask = proposal.masked_fill(stillMasked, maskId);
        current.copy_(where(activeT, withMask, current));
        masked.copy_(where(activeT, stillMasked, masked));
    }

    /// <summary>
    /// How many codes a half-first sample keeps masked after <paramref name="step"/> (not its last): over the first
    /// ceil(S/2) steps the left half is decided on the cosine schedule while every right code stays masked; over the rest,
    /// the right half on the same schedule.
    /// </summary>
    internal static long HalfFirstKeep(int steps, int step, int half, long remaining, long rightRemaining)
    {
        int first = (steps + 1) / 2;
        long keep = step < first
            ? rightRemaining + (step == first - 1 ? 0 : (long)Math.Floor(half * Math.Cos(Math.PI / 2 * (step + 1) / first)))
            : (long)Math.Floor(half * Math.Cos(Math.PI / 2 * (step - first + 1) / (steps - first)));
        return Math.Max(0, Math.Min(remaining - 1, keep));
    }

    /// <summary>
    /// Mirror-tied built-or-empty (<see cref="Job.MirrorX"/>): a masked cell's log odds of "empty" become the sum of its own
    /// and its mirror's, i.e. the log odds of "both empty" against "both built" were the two independent; a mirror already
    /// decided counts as certain (+inf empty, -inf built). Both cells of a pair draw with the pair's first cell's uniforms,
    /// so they take the same side with the same confidence (a pair split by the step's cut stays masked whole, in
    /// <see cref="BuiltOrEmptyStep"/>). Rows of other samples are returned unchanged.
    /// </summary>
    private static (Tensor LogOdds, Tensor Uniforms) MirrorTied(IReadOnlyList<Job> jobs, long emptyCode, Tensor logOdds, Tensor rows,
        Tensor sampleOf, Tensor current, Tensor uniformAll, Tensor mirror, Tensor u)
    {
        int codes = (int)current.shape[1];
        var device = logOdds.device;
        var decided = where(current.eq(emptyCode), double.PositiveInfinity, double.NegativeInfinity).view(-1);
        var evidence = decided.to(logOdds.dtype).index_copy(0, rows, logOdds);                // [N * codes]
        var mirrorRows = sampleOf * codes + mirror.index_select(0, rows.remainder(codes));
        var tied = tensor(jobs.Select(j => j.MirrorX).ToArray(), device: device).index_select(0, sampleOf);
        var pairLogOdds = where(tied, logOdds + evidence.index_select(0, mirrorRows), logOdds);
        var pairUniforms = where(tied.unsqueeze(0), uniformAll.index_select(1, minimum(rows, mirrorRows)), u);
        return (pairLogOdds, pairUniforms);
    }

    /// <summary>Draws a built code per row by inverse CDF: the first code whose cumulative probability reaches the uniform.</summary>
    /// <param name="logits">[S, C] built-code logits of the rows to draw.</param>
    /// <param name="temp">[S] temperatures.</param>
    /// <param name="topK">[S] top-k cut per row (C where none).</param>
    private static Tensor DrawBuiltCode(Tensor logits, Tensor temp, Tensor topK, bool noCut, Tensor uniform)
    {
        using var scope = NewDisposeScope();
        int columns = (int)logits.shape[1];
        var scaled = logits / temp.unsqueeze(1);
        if (!noCut)
        {
            var sorted = scaled.sort(-1, descending: true).Values;
            var threshold = sorted.gather(1, (topK - 1).unsqueeze(1));
            scaled = scaled.masked_fill(scaled.lt(threshold), double.NegativeInfinity);
        }
        var cdf = scaled.softmax(-1).cumsum(-1);
        var found = searchsorted(cdf, uniform.unsqueeze(1).contiguous());
        return found.squeeze(1).clamp_max(columns - 1).MoveToOuterDisposeScope();
    }

    private static Tensor TopK(Tensor logits, int k)
    {
        if (k <= 0 || k >= logits.shape[^1]) return logits.alias();
        var (values, _) = logits.topk(k, dim: -1);
        using (values)
        {
            using var threshold = values.narrow(-1, k - 1, 1);
            return logits.masked_fill(logits.lt(threshold), double.NegativeInfinity);
        }
    }

    /// <summary>
    /// [N, T] token ids, padded: T is the batch's longest description rounded up to a multiple of
    /// <see cref="TextWindowStep"/> (at most the prior's window), so that short descriptions do not pay
    /// for a 64-token window. Padded keys are masked and come after every real key
    /// (<see cref="TextConditionedPrior.CodeFeatures"/>), so a wider window does not change a sample's result.
    /// </summary>
    private static Tensor TextBatch(IReadOnlyList<Job> jobs, PriorConfig c, Device device)
    {
        int longest = jobs.Max(j => Math.Min(j.Tokens.Length, c.MaxTextTokens));
        int window = Math.Min(c.MaxTextTokens, Math.Max(1, (longest + TextWindowStep - 1) / TextWindowStep) * TextWindowStep);
        var ids = new long[jobs.Count * window];
        for (int i = 0; i < jobs.Count; i++)
        {
            var t = jobs[i].Tokens;
            int len = Math.Min(t.Length, window);
            for (int j = 0; j < len; j++) ids[i * window + j] = t[j];
        }
        return tensor(ids, new long[] { jobs.Count, window }, device: device);
    }

    /// <summary>Text windows are multiples of this many tokens (16 floats: one AVX-512 vector, two AVX2 ones).</summary>
    private const int TextWindowStep = 16;
}
