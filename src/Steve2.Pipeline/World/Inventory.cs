namespace Steve2.Pipeline.World;

/// <summary>An agent's items: item name to a positive count (no zero entries).</summary>
public sealed class Inventory
{
    private readonly SortedDictionary<string, int> _items = new(StringComparer.Ordinal);

    public Inventory(IReadOnlyDictionary<string, int>? start = null)
    {
        if (start is null) return;
        foreach (var (item, count) in start) Add(item, count);
    }

    public int Count(string item) => _items.GetValueOrDefault(item);

    public bool Has(string item, int count = 1) => Count(item) >= count;

    public void Add(string item, int count)
    {
        if (count <= 0) return;
        _items[item] = Count(item) + count;
    }

    /// <summary>Removes up to <paramref name="count"/>; returns how many were removed.</summary>
    public int Remove(string item, int count)
    {
        int have = Count(item), removed = Math.Min(have, count);
        if (removed <= 0) return 0;
        if (have == removed) _items.Remove(item);
        else _items[item] = have - removed;
        return removed;
    }

    /// <summary>A copy (sorted by item name).</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_items, StringComparer.Ordinal);

    /// <summary>The live view, for reading only.</summary>
    public IReadOnlyDictionary<string, int> View => _items;
}
