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

    public MaskedCodeSampler(TextConditionedPrior prior) => _prior = prior;

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
