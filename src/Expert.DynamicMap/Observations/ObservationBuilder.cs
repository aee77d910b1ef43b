using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Observations;

/// <summary>Builds an <see cref="Observation"/> block by block, keeping its palette (for callers with named blocks).</summary>
public sealed class ObservationBuilder(string agentId, long tick, MapPose pose)
{
    private readonly List<string> _palette = [];
    private readonly Dictionary<string, int> _paletteIndex = new(StringComparer.Ordinal);
    private readonly List<BlockSeen> _blocks = [];
    private readonly List<EntitySeen> _entities = [];
    private readonly List<SoundHeard> _sounds = [];

    public ObservationBuilder Block(int x, int y, int z, string name)
    {
        if (!_paletteIndex.TryGetValue(name, out int index))
        {
            index = _palette.Count;
            _palette.Add(name);
            _paletteIndex.Add(name, index);
        }
        _blocks.Add(new BlockSeen(x, y, z, index));
        return this;
    }

    public ObservationBuilder Entity(string name, double x, double y, double z, float confidence = 1f)
    {
        _entities.Add(new EntitySeen(name, x, y, z, confidence));
        return this;
    }

    public ObservationBuilder SoundAt(string name, float volume, Vec3 position)
    {
        _sounds.Add(new SoundHeard(name, volume, Position: position));
        return this;
    }

    public ObservationBuilder SoundToward(string name, float volume, Vec3 direction)
    {
        _sounds.Add(new SoundHeard(name, volume, Direction: direction));
        return this;
    }

    public Observation Build() => new(agentId, tick, pose, _palette.ToArray(), _blocks.ToArray(), _entities.ToArray(), _sounds.ToArray());
}
