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
    public sealed record Job(int[] Tokens, ulong Seed, float Temperature, int TopK, int Steps, long[]? Known = null);

    /// <summary>Decodes a batch; returns code grids [N, g, g, g] (int64) on the prior's device.</summary>
    public Tensor Sample(IReadOnlyList<Job> jobs, Device device, CancellationToken cancellationToken)
    {
        var c = _prior.Config;
        int n = jobs.Count;
        int codes = c.Codes;
        int steps = jobs.Max(j => j.Steps);
        using var scope = NewDisposeScope();

        var text = TextBatch(jobs, c, device);
        var current = full(new long[] { n, codes }, c.MaskId, dtype: ScalarType.Int64, device: device);
        var masked = ones(new long[] { n, codes }, dtype: ScalarType.Bool, device: device);
        for (int i = 0; i < n; i++)
        {
            if (jobs[i].Known is not { } known) continue;
            if (known.Length != codes) throw new ArgumentException($"Known codes must have {codes} entries.");
            using var k = tensor(known, device: device);
            using var given = k.ge(0);
            current[i].masked_scatter_(given, k.masked_select(given));
            masked[i].masked_fill_(given, false);
        }

        var generators = jobs.Select(j => new Generator(j.Seed, device)).ToArray();
        try
        {
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var grouped = _prior.Group(current.view(n, c.CodeGridSize, c.CodeGridSize, c.CodeGridSize));
                using var logits4 = _prior.forward(text, grouped);
                using var logitsGrouped = logits4.view(n, c.Groups, c.CodesPerGroup, c.CodebookSize);
                // Back to code-grid order [N, Codes, K].
                using var logits = UngroupLogits(logitsGrouped, c);
                if (_emptyCode >= 0)
                {
                    BatchedBuiltOrEmptyStep(jobs, step, c.MaskId, _emptyCode, logits, current, masked, generators);
                    continue;
                }
                for (int i = 0; i < n; i++)
                {
                    var job = jobs[i];
                    if (step >= job.Steps) continue;
                    DecodeStep(job, step, c.MaskId, logits[i], current[i], masked[i], generators[i]);
                }
            }
            return current.view(n, c.CodeGridSize, c.CodeGridSize, c.CodeGridSize).MoveToOuterDisposeScope();
        }
        finally
        {
            foreach (var g in generators) g.Dispose();
        }
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
    /// One built-or-empty decoding step for the whole batch at once (see the constructor): only the uniform random numbers are drawn per sample, each
    /// from its own generator, so a sample's result still depends only on its own seed; everything
    /// else is a handful of batched tensor operations instead of a dozen small ones per sample.
    /// </summary>
    internal static void BatchedBuiltOrEmptyStep(IReadOnlyList<Job> jobs, int step, long maskId, long emptyCode,
        Tensor logits, Tensor current, Tensor masked, Generator[] generators)
    {
        int n = jobs.Count, codes = (int)logits.shape[1], k = (int)logits.shape[2];
        var device = logits.device;
        var remaining = masked.sum(1).cpu().data<long>().ToArray();
        var keep = new long[n];
        var temperature = new float[n];
        var anneal = new float[n];
        var topK = new long[n];
        var active = new bool[n];
        var uniforms = new Tensor[n];
        for (int i = 0; i < n; i++)
        {
            var job = jobs[i];
            active[i] = step < job.Steps && remaining[i] > 0;
            double ratio = Math.Cos(Math.PI / 2 * (step + 1) / job.Steps);
            keep[i] = !active[i] ? remaining[i] : step == job.Steps - 1 ? 0 : Math.Max(0, Math.Min(remaining[i] - 1, (long)Math.Floor(codes * ratio)));
            temperature[i] = Math.Max(job.Temperature, 0f);
            anneal[i] = (float)(job.Temperature * (1.0 - (step + 1.0) / job.Steps));
            topK[i] = job.TopK <= 0 || job.TopK >= k ? k : job.TopK;
            uniforms[i] = job.Temperature > 0f && active[i]
                ? rand(new long[] { 3, codes }, generator: generators[i], device: device)
                : full(new long[] { 3, codes }, 0.5f, device: device);
        }
        using var u = stack(uniforms, 0).clamp(1e-9, 1 - 1e-9);               // [n, 3, codes]
        foreach (var t in uniforms) t.Dispose();
        using var greedy = tensor(temperature.Select(t => t <= 0f).ToArray(), device: device).unsqueeze(1);   // [n, 1]
        using var temp = tensor(temperature.Select(t => t <= 0f ? 1f : t).ToArray(), device: device).view(n, 1, 1);

        // Every pass over the [n, codes, K] logits costs as much as the prior's forward pass, so the
        // step makes as few as it can: one copy without the empty code, its log-sum-exp, and only
        // for sampled rows a softmax and a cumulative sum searched per code (no [n, codes, K] masks).
        using var emptyIndex = tensor(new[] { emptyCode }, device: device);
        using var emptyLogit = logits.select(2, emptyCode);                                      // [n, codes]
        using var builtLogits = logits.index_fill(2, emptyIndex, double.NegativeInfinity);       // [n, codes, K]
        using var builtLse = builtLogits.logsumexp(-1);                                          // [n, codes]

        // Built or empty: the log odds of "empty" are the empty logit against all built ones together.
        using var logOdds = emptyLogit - builtLse;
        using var pEmptyT = (logOdds / temp.view(n, 1)).sigmoid();
        using var drawnEmpty = u.select(1, 0).lt(pEmptyT);
        using var greedyEmpty = logOdds.ge(0);
        using var isEmpty = where(greedy, greedyEmpty, drawnEmpty);

        // The code within "built": arg max when greedy, else inverse-CDF sampling after a per-sample top-k cut.
        bool anyGreedy = temperature.Any(t => t <= 0f), anySampled = temperature.Any(t => t > 0f);
        using var greedyCode = anyGreedy ? builtLogits.argmax(-1) : zeros(new long[] { n, codes }, ScalarType.Int64, device);
        using var drawnCode = anySampled ? DrawBuiltCode(builtLogits, temp, topK, k, u.select(1, 1)) : zeros(new long[] { n, codes }, ScalarType.Int64, device);
        using var built = where(greedy, greedyCode, drawnCode);
        using var emptyCodes = full_like(built, emptyCode);
        using var sampled = where(isEmpty, emptyCodes, built);

        // Confidence: log probability of the side taken, plus annealed Gumbel noise when sampling.
        using var side = where(isEmpty, nn.functional.logsigmoid(logOdds), nn.functional.logsigmoid(-logOdds)).clamp_min(-20.0);
        using var gumbel = -(-u.select(1, 2).log()).log();
        using var annealT = tensor(anneal, device: device).view(n, 1);
        using var noise = where(greedy, zeros_like(gumbel), gumbel * annealT);
        using var confidence0 = side + noise;
        using var confidence = confidence0.masked_fill(masked.logical_not(), double.PositiveInfinity);

        // Keep the keep[i] least confident codes of each sample masked; inactive samples stay as they are.
        using var order = confidence.argsort(1);
        using var ranks = empty_like(order);
        using var positions = arange(codes, device: device).unsqueeze(0).expand(n, codes).contiguous();
        ranks.scatter_(1, order, positions);
        using var keepT = tensor(keep, device: device).view(n, 1);
        using var stillMasked = ranks.lt(keepT);
        using var activeT = tensor(active, device: device).view(n, 1);
        using var proposal = where(masked, sampled, current);
        using var withMask = proposal.masked_fill(stillMasked, maskId);
        using var nextCurrent = where(activeT, withMask, current);
        using var nextMasked = where(activeT, stillMasked, masked);
        current.copy_(nextCurrent);
        masked.copy_(nextMasked);
    }

    /// <summary>Draws a built code per position by inverse CDF: the first code whose cumulative probability reaches the uniform.</summary>
    private static Tensor DrawBuiltCode(Tensor builtLogits, Tensor temp, long[] topK, int k, Tensor uniform)
    {
        using var scaled = builtLogits / temp;
        using var cut = topK.All(v => v == k) ? scaled.alias() : TopKPerSample(scaled, topK);
        using var probs = cut.softmax(-1);
        using var cdf = probs.cumsum(-1);
        using var values = uniform.unsqueeze(-1).contiguous();
        using var found = searchsorted(cdf, values);
        return found.squeeze(-1).clamp_max(k - 1);
    }

    /// <summary>Keeps the k[i] largest logits of every row of sample i ([n, codes, K]); the rest -inf.</summary>
    private static Tensor TopKPerSample(Tensor logits, long[] k)
    {
        int n = (int)logits.shape[0], codes = (int)logits.shape[1];
        using var sorted = logits.sort(-1, descending: true).Values;
        using var kIndex = tensor(k.Select(v => v - 1).ToArray(), device: logits.device).view(n, 1, 1).expand(n, codes, 1);
        using var threshold = sorted.gather(2, kIndex);
        return logits.masked_fill(logits.lt(threshold), double.NegativeInfinity);
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

    private static Tensor TextBatch(IReadOnlyList<Job> jobs, PriorConfig c, Device device)
    {
        // Always the full window: a sample's tensors have the same shape whatever its batch mates.
        var ids = new long[jobs.Count * c.MaxTextTokens];
        for (int i = 0; i < jobs.Count; i++)
        {
            var t = jobs[i].Tokens;
            int len = Math.Min(t.Length, c.MaxTextTokens);
            for (int j = 0; j < len; j++) ids[i * c.MaxTextTokens + j] = t[j];
        }
        return tensor(ids, new long[] { jobs.Count, c.MaxTextTokens }, device: device);
    }

    private static Tensor UngroupLogits(Tensor grouped, PriorConfig c)
    {
        // [N, G, P, K] -> [N, g, g, g, K] in code-grid order -> [N, Codes, K]
        int n = c.GroupsPerEdge, e = c.GroupEdge;
        long b = grouped.shape[0];
        using var split = grouped.reshape(b, n, n, n, e, e, e, c.CodebookSize);
        using var moved = split.permute(0, 1, 4, 2, 5, 3, 6, 7);
        return moved.reshape(b, c.Codes, c.CodebookSize);
    }
}
