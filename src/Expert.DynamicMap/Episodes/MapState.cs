using Expert.DynamicMap.Agents;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Landmarks;
using Expert.DynamicMap.Sounds;
using Expert.DynamicMap.Storage;

namespace Expert.DynamicMap.Episodes;

/// <summary>Everything one episode's map holds; the readers (layers, frontiers, rendering, text) take it under the episode's lock.</summary>
internal sealed class MapState
{
    public MapState(MapOptions options)
    {
        Options = options;
        Landmarks = new LandmarkTracker(options.LandmarkMergeRadius);
        Sounds = new SoundTracker(options.SoundMergeRadius, options.SoundBearingWindowTicks, options.MaxBearingsPerSound, options.SoundHearingRadius);
    }

    public MapOptions Options { get; }
    public VoxelStore Store { get; } = new();
    public BlockPalette Palette { get; } = new();
    public StampClock Clock { get; } = new();
    public AgentRoster Agents { get; } = new();
    public LandmarkTracker Landmarks { get; }
    public SoundTracker Sounds { get; }
    public FrontierBlacklist Blacklist { get; } = new();

    /// <summary>The largest tick observed: "now" for staleness and ages.</summary>
    public long Now { get; set; } = 0;

    /// <summary>Batches applied (not counting replays).</summary>
    public long Version { get; set; }

    public long BlockObservations { get; set; }
}
