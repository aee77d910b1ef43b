namespace Expert.DynamicMap.Storage;

/// <summary>
/// Gives every applied observation a stamp (1, 2, 3, ...) and remembers its tick. Cells store the
/// 4-byte stamp instead of the 8-byte tick; the stamp also tells "already touched by this
/// observation", which lets a ray stop where an earlier ray of the same observation passed.
/// </summary>
internal sealed class StampClock
{
    private long[] _ticks = new long[64];

    public StampClock() => _ticks[0] = long.MinValue;

    /// <summary>Stamps issued so far.</summary>
    public int Count { get; private set; }

    /// <summary>The tick per stamp; index 0 is "never" (long.MinValue). Valid up to <see cref="Count"/>.</summary>
    public long[] Ticks => _ticks;

    public int Next(long tick)
    {
        int stamp = ++Count;
        if (stamp >= _ticks.Length) Array.Resize(ref _ticks, _ticks.Length * 2);
        _ticks[stamp] = tick;
        return stamp;
    }

    public long TickOf(int stamp) => _ticks[stamp];

    public long ApproximateBytes => _ticks.Length * 8L;
}
