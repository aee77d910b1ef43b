using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// The decoder's key/value cache for incremental decoding: per layer the keys and values of every position
/// read so far ([B, heads, T, head width]), which keys are real (false at left padding, [B, T]) and the next
/// position id of each row; with a <see cref="CopyHead"/>, its keys and the token ids of those positions. The prompt is
/// read once (prefill), then one token a step. Owns its tensors.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private Tensor? _copyKeys;
    private Tensor? _copyIds;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Positions read so far (0 before the prefill).</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>[B, Length], true where the key is a real token.</summary>
    public Tensor? KeyMask { get; private set; }

    /// <summary>[B]: the position id the next token of each row takes.</summary>
    public Tensor? NextPosition { get; private set; }

    /// <summary>Appends a layer's new keys and values; returns all of them (owned by the cache: do not dispose).</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        Tensor k = _keys[layer] is { } oldK ? cat([oldK, keys], 2) : keys.alias();
        Tensor v = _values[layer] is { } oldV ? cat([oldV, values], 2) : values.alias();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = k.DetachFromDisposeScope();
        _values[layer] = v.DetachFromDisposeScope();
        return (k, v);
    }

    /// <summary>Appends the copy head's new keys [B, T, W] and token ids [B, T]; returns all of them (owned by the cache).</summary>
    internal (Tensor Keys, Tensor Ids) AppendCopy(Tensor keys, Tensor ids)
    {
        Tensor k = _copyKeys is { } oldK ? cat([oldK, keys], 1) : keys.alias();
        Tensor i = _copyIds is { } oldI ? cat([oldI, ids], 1) : ids.alias();
        _copyKeys?.Dispose();
        _copyIds?.Dispose();
        _copyKeys = k.DetachFromDisposeScope();
        _copyIds = i.DetachFromDisposeScope();
        return (k, i);
    }

    /// <summary>Records the key mask and next positions after a forward pass (the cache takes ownership).</summary>
    internal void Advance(Tensor keyMask, Tensor nextPosition)
    {
        KeyMask?.Dispose();
        NextPosition?.Dispose();
        KeyMask = keyMask.DetachFromDisposeScope();
        NextPosition = nextPosition.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in _keys) t?.Dispose();
        foreach (var t in _values) t?.Dispose();
        _copyKeys?.Dispose();
        _copyIds?.Dispose();
        KeyMask?.Dispose();
        NextPosition?.Dispose();
    }
}
