using System.Globalization;

namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// One of <see cref="Count"/> disjoint parts of a rollout's ordered work list (<c>--shard K/N</c>): shard
/// <see cref="Index"/> takes the items at positions <c>i</c> with <c>i % N == K</c>, positions counted from 0 in
/// the list's documented order (for <c>eval</c> and <c>record</c>: <see cref="EvaluationRunner.Plan"/>, task by
/// task, seed by seed, agent by agent). Every item belongs to exactly one shard, whatever N; dealing the items
/// round-robin (rather than in blocks) spreads each task's and each agent's episodes, whose costs differ widely,
/// over all the shards. K counts from 0, so a Kubernetes Indexed Job's completion index is the shard as it is.
/// </summary>
public readonly record struct Shard
{
    /// <summary>The most shards a run may be cut into.</summary>
    public const int MaxCount = 10_000;

    /// <summary>The whole work list: shard 0 of 1.</summary>
    public static readonly Shard All = new(0, 1);

    public Shard(int index, int count)
    {
        if (count is < 1 or > MaxCount) throw new ArgumentException($"a shard count must be in 1..{MaxCount}, got {count}.");
        if (index < 0 || index >= count) throw new ArgumentException($"shard {index}/{count}: the shard index counts from 0 and must be below the count (0..{count - 1}).");
        Index = index;
        Count = count;
    }

    /// <summary>K in K/N, from 0.</summary>
    public int Index { get; }

    /// <summary>N in K/N.</summary>
    public int Count { get; }

    public bool IsAll => Count == 1;

    /// <summary>Whether the item at <paramref name="position"/> (from 0) of the ordered work list is this shard's.</summary>
    public bool Owns(int position) => position >= 0 ? position % Count == Index : throw new ArgumentOutOfRangeException(nameof(position));

    /// <summary>The shard of the item at <paramref name="position"/> when the list is cut into <paramref name="count"/> shards.</summary>
    public static int Of(int position, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        _ = new Shard(0, count);   // validates the count
        return position % count;
    }

    /// <summary>This shard's items, in the list's order.</summary>
    public IReadOnlyList<T> Select<T>(IReadOnlyList<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (IsAll) return work;
        var mine = new List<T>(work.Count / Count + 1);
        for (int i = Index; i < work.Count; i += Count) mine.Add(work[i]);
        return mine;
    }

    /// <summary><c>K/N</c>, e.g. <c>3/8</c>: K from 0 to N-1.</summary>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new ArgumentException($"--shard '{text}': write it as K/N, the shard K (from 0) of N, e.g. 0/4 .. 3/4.");
        return new Shard(index, count);
    }

    public override string ToString() => $"{Index}/{Count}";
}
