using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Model;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>
/// Batched text generation with the student: prompts are left-padded into one batch, read once (prefill) into a
/// <see cref="KvCache"/>, then one token per step for every row until each row wrote eos or the answer budget is
/// spent. Greedy by default; temperature and top-k sampling from a seeded <see cref="Random"/>. Without the cache
/// (<c>useCache: false</c>) every step reads the whole sequence again: the reference the cache is tested against.
/// Not thread-safe (one batch at a time; <see cref="StudentBatcher"/> gathers concurrent callers).
/// </summary>
public sealed class StudentGenerator(StudentModel model, StudentSequences sequences, Device device)
{
    private readonly StudentTokenMap _map = StudentTokenMap.For(model, sequences);
    private AnswerGrammar? _grammar;   // made on first use, when the vocabulary's size is known

    public StudentSequences Sequences => sequences;
    public Device Device => device;

    /// <summary>When set, every call adds its prefill and decoding times to it (<c>steve2 student-bench</c>).</summary>
    public GenerationTimings? Timings { get; set; }

    /// <summary>The student's ids to the decoder's (the same unless the decoder is a pretrained LM).</summary>
    public StudentTokenMap TokenMap => _map;

    /// <summary>
    /// The answer ids (the decoder's, without eos) of each prompt (the student's ids, <see cref="StudentSequences"/>).
    /// Every tensor of the call is disposed before it returns (a step's tensors at the end of the step).
    /// </summary>
    public IReadOnlyList<int[]> Generate(IReadOnlyList<(int[] Prompt, byte[] Image)> batch, SamplingOptions? sampling = null, Random? random = null, bool useCache = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        random ??= new Random(0);
        return Generate(batch, sampling, Enumerable.Repeat(random, batch.Count).ToArray(), useCache);
    }

    /// <summary>
    /// As above, each row sampling from its own <see cref="Random"/>: a row's answer then depends on its prompt and its
    /// random stream only, not on which other rows share the batch (<see cref="StudentAsking"/> seeds one per question).
    /// </summary>
    public IReadOnlyList<int[]> Generate(IReadOnlyList<(int[] Prompt, byte[] Image)> batch, SamplingOptions? sampling, IReadOnlyList<Random> randoms, bool useCache = true) =>
        GenerateAnswers(batch, sampling, randoms, null, useCache).Select(a => a.Ids).ToArray();

    /// <summary>
    /// The answers of each prompt with how sure the model was of each token it picked (<see cref="GeneratedAnswer"/>);
    /// a row with a <see cref="AnswerBranch"/> continues that answer's first tokens and does not pick the banned token
    /// next (<see cref="StudentAsking"/>'s greedy retries). A row with a role (<paramref name="roles"/>) is decoded within
    /// that role's answer grammar (<see cref="AnswerGrammar"/>); a row without one is free.
    /// </summary>
    public IReadOnlyList<GeneratedAnswer> GenerateAnswers(IReadOnlyList<(int[] Prompt, byte[] Image)> batch, SamplingOptions? sampling,
        IReadOnlyList<Random> randoms, IReadOnlyList<AnswerBranch?>? branches = null, bool useCache = true, IReadOnlyList<string?>? roles = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(randoms);
        if (randoms.Count != batch.Count) throw new ArgumentException($"{randoms.Count} random streams for {batch.Count} prompts.", nameof(randoms));
        if (branches is not null && branches.Count != batch.Count) throw new ArgumentException($"{branches.Count} branches for {batch.Count} prompts.", nameof(branches));
        if (roles is not null && roles.Count != batch.Count) throw new ArgumentException($"{roles.Count} roles for {batch.Count} prompts.", nameof(roles));
        if (batch.Count == 0) return [];
        sampling = (sampling ?? SamplingOptions.Greedy).Validated();
        var clock = Timings is null ? null : System.Diagnostics.Stopwatch.StartNew();
        double prefillMs = 0;
        int decoded = 0;
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int budget = sequences.Config.MaxActionTokens - 1;   // answer tokens before eos, as trained
        int[][] prefixes = batch.Select((_, i) => branches?[i]?.Prefix ?? []).ToArray();
        if (prefixes.Any(p => p.Length >= budget)) throw new ArgumentException($"A branch's prefix must be shorter than the answer budget ({budget} tokens).", nameof(branches));
        int[][] prompts = batch.Select((x, i) => (int[])[.. _map.Prompt(x.Prompt), .. prefixes[i]]).ToArray();   // a prefix is read as if written
        int b = batch.Count, width = prompts.Max(p => p.Length);
        var rows = new List<int>[b];
        var choices = new List<AnswerChoice>[b];
        var ids = new long[b * width];
        var real = new bool[b * width];
        for (int i = 0; i < b; i++)
        {
            rows[i] = [.. prefixes[i]];
            choices[i] = [];
            int pad = width - prompts[i].Length;
            for (int j = 0; j < prompts[i].Length; j++)
            {
                ids[i * width + pad + j] = prompts[i][j];
                real[i * width + pad + j] = true;
            }
        }
        Tensor images = StudentBatches.Images(batch.Select(x => x.Image).ToList(), sequences.Config.Vision.ImageSize, device);
        Tensor idTensor = tensor(ids, [b, width]).to(device);
        Tensor mask = tensor(real, [b, width]).to(device);
        var done = new bool[b];
        using KvCache? cache = useCache ? model.NewCache() : null;
        Tensor logits = model.Logits(idTensor, mask, images, cache, LastOf(b, width));      // [B, V]: the last position's
        for (int step = 0; step < budget; step++)
        {
            float[] last;
            using (NewDisposeScope()) last = logits.to(ScalarType.Float32).cpu().data<float>().ToArray();
            if (step == 0 && clock is not null) prefillMs = clock.Elapsed.TotalMilliseconds;
            int vocab = last.Length / b;
            for (int i = 0; i < b; i++)
                foreach (int id in _map.NeverWritten) last[i * vocab + id] = float.NegativeInfinity;
            if (step == 0 && branches is not null)
                for (int i = 0; i < b; i++)
                    if (branches[i] is { } branch)
                        foreach (int banned in branch.Banned) last[i * vocab + banned] = float.NegativeInfinity;
            if (roles is not null)
            {
                _grammar ??= AnswerGrammar.For(_map, vocab);
                for (int i = 0; i < b; i++)
                    if (!done[i] && roles[i] is string role)
                    {
                        var row = last.AsSpan(i * vocab, vocab);
                        _grammar.Ban(role, _map.Decode(rows[i]), row);
                        if (float.IsNegativeInfinity(RowMax(row))) row[_map.Eos] = 0;   // nothing grammatical left (a branch banned it): the end
                    }
            }
            var next = new long[b];
            for (int i = 0; i < b; i++)
            {
                if (!done[i] && rows[i].Count == budget) done[i] = true;   // the budget is spent: no eos
                if (done[i])
                {
                    next[i] = _map.Eos;
                    continue;
                }
                var row = last.AsSpan(i * vocab, vocab);
                int token = Pick(row, sampling, randoms[i]);
                next[i] = token;
                choices[i].Add(new AnswerChoice(rows[i].Count, token, Margin(row, token)));
                if (token == _map.Eos) done[i] = true;
                else rows[i].Add(token);
            }
            if (Enumerable.Range(0, b).All(i => done[i] || rows[i].Count == budget)) break;
            using var stepScope = NewDisposeScope();
            decoded++;
            Tensor nextIds = tensor(next, [b, 1]).to(device);
            Tensor previous = logits;
            if (cache is not null)
            {
                logits = model.Logits(nextIds, ones(b, 1, ScalarType.Bool, device), null, cache, ones(b, 1, ScalarType.Bool, device));
            }
            else
            {
                Tensor oldIds = idTensor, oldMask = mask;
                idTensor = cat([idTensor, nextIds], 1).MoveToOuterDisposeScope();
                mask = cat([mask, ones(b, 1, ScalarType.Bool, device)], 1).MoveToOuterDisposeScope();
                logits = model.Logits(idTensor, mask, images, null, LastOf(b, idTensor.shape[1]));
                oldIds.Dispose();
                oldMask.Dispose();
            }
            logits.MoveToOuterDisposeScope();
            previous.Dispose();
        }
        Timings?.Add(b, prefillMs, clock!.Elapsed.TotalMilliseconds - prefillMs, decoded);
        return rows.Select((r, i) => new GeneratedAnswer([.. r], choices[i])).ToArray();
    }

    private static float RowMax(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float v in row) if (v > max) max = v;
        return max;
    }

    /// <summary>How far the picked token's logit leads the best other token's (0 when another is as likely).</summary>
    private static float Margin(ReadOnlySpan<float> logits, int picked)
    {
        float other = float.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++) if (i != picked && logits[i] > other) other = logits[i];
        return float.IsNegativeInfinity(other) ? float.PositiveInfinity : Math.Max(0, logits[picked] - other);
    }

    private Tensor LastOf(long b, long t) => arange(t, device: device).eq(t - 1).unsqueeze(0).expand(b, t);

    /// <summary>The answer texts of each prompt.</summary>
    public IReadOnlyList<string> GenerateText(IReadOnlyList<(int[] Prompt, byte[] Image)> batch, SamplingOptions? sampling = null, Random? random = null) =>
        Generate(batch, sampling, random).Select(ids => _map.Decode(ids)).ToArray();


    private static int Pick(ReadOnlySpan<float> logits, SamplingOptions sampling, Random random)
    {
        if (sampling.IsGreedy)
        {
            int best = 0;
            for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
            return best;
        }
        int[] order = Enumerable.Range(0, logits.Length).ToArray();
        float[] copy = logits.ToArray();
        Array.Sort(copy.Select(x => -x).ToArray(), order);
        int k = sampling.TopK > 0 ? Math.Min(sampling.TopK, order.Length) : order.Length;
        double max = logits[order[0]];
        var weights = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) sum += weights[i] = Math.Exp((logits[order[i]] - max) / sampling.Temperature);
        double u = random.NextDouble() * sum;
        for (int i = 0; i < k; i++)
        {
            u -= weights[i];
            if (u <= 0) return order[i];
        }
        return order[k - 1];
    }
}

/// <summary>
/// A greedy answer to branch from: its first tokens (<paramref name="Prefix"/>, the decoder's ids) are kept, and the
/// next token is any but the <paramref name="Banned"/> ones (eos among them: the answer then goes on).
/// </summary>
public sealed record AnswerBranch(int[] Prefix, IReadOnlyList<int> Banned)
{
    /// <summary>A branch that takes any next token but <paramref name="banned"/>.</summary>
    public AnswerBranch(int[] prefix, int banned) : this(prefix, [banned]) { }
}

/// <summary>One token the generator picked: its place in the answer (the eos step is the answer's length), and how far its logit led the runner-up's.</summary>
public readonly record struct AnswerChoice(int Position, int Token, float Margin);

/// <summary>
/// One generated answer: its ids (the decoder's, without eos; a branch's prefix included) and the picks the generator
/// made for it (a branch's prefix was not picked: it has no choices).
/// </summary>
public sealed record GeneratedAnswer(int[] Ids, IReadOnlyList<AnswerChoice> Choices);

/// <summary>Where the generator's time goes, call by call: the prefill (the prompt and image read once, to the first logits) and the decoding steps after it.</summary>
public sealed class GenerationTimings
{
    private readonly List<(int Batch, double PrefillMs, double DecodeMs, int Steps)> _calls = [];

    public IReadOnlyList<(int Batch, double PrefillMs, double DecodeMs, int Steps)> Calls => _calls;

    internal void Add(int batch, double prefillMs, double decodeMs, int steps) => _calls.Add((batch, prefillMs, decodeMs, steps));
}
