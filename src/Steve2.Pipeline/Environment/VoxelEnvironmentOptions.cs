using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// Settings of the embedded voxel backend (ACTIONS.md and OBSERVATIONS.md give their meaning).
/// </summary>
/// <param name="World">Size of the generated worlds.</param>
/// <param name="ImageWidth">Observation image width in pixels (8..512).</param>
/// <param name="ImageHeight">Observation image height in pixels (8..512).</param>
/// <param name="FovDegrees">Horizontal field of view (30..120).</param>
/// <param name="ViewDistance">Blocks farther than this are not seen (8..128).</param>
/// <param name="MaxVisibleBlocks">Cap on <c>Observation.VisibleBlocks</c> (nearest kept).</param>
/// <param name="Reach">Most distance from the eye to a block's nearest point for mining, placing and opening.</param>
/// <param name="NearSoundRadius">Sounds within this distance come with their position.</param>
/// <param name="HearingRadius">Sounds beyond this distance are not heard.</param>
/// <param name="SoundChance">Chance per world tick that one animal makes its sound.</param>
/// <param name="PathNodeBudget">Most A* nodes one path search may expand.</param>
public sealed record VoxelEnvironmentOptions(
    WorldOptions? World = null,
    int ImageWidth = 64,
    int ImageHeight = 64,
    double FovDegrees = 70,
    double ViewDistance = 48,
    int MaxVisibleBlocks = 512,
    double Reach = 4.5,
    double NearSoundRadius = 16,
    double HearingRadius = 64,
    double SoundChance = 0.08,
    int PathNodeBudget = 20000)
{
    public WorldOptions WorldOptions => World ?? WorldOptions.Default;

    /// <summary>Throws with what to change when a setting is out of range.</summary>
    public VoxelEnvironmentOptions Validated()
    {
        WorldOptions.Validated();
        if (ImageWidth is < 8 or > 512) throw new ArgumentOutOfRangeException(nameof(ImageWidth), ImageWidth, "ImageWidth must be in 8..512.");
        if (ImageHeight is < 8 or > 512) throw new ArgumentOutOfRangeException(nameof(ImageHeight), ImageHeight, "ImageHeight must be in 8..512.");
        if (FovDegrees is < 30 or > 120) throw new ArgumentOutOfRangeException(nameof(FovDegrees), FovDegrees, "FovDegrees must be in 30..120.");
        if (ViewDistance is < 8 or > 128) throw new ArgumentOutOfRangeException(nameof(ViewDistance), ViewDistance, "ViewDistance must be in 8..128.");
        if (MaxVisibleBlocks is < 1 or > 100_000) throw new ArgumentOutOfRangeException(nameof(MaxVisibleBlocks), MaxVisibleBlocks, "MaxVisibleBlocks must be in 1..100000.");
        if (Reach is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(Reach), Reach, "Reach must be in 1..16.");
        if (NearSoundRadius <= 0 || HearingRadius < NearSoundRadius)
            throw new ArgumentOutOfRangeException(nameof(HearingRadius), HearingRadius, "Need 0 < NearSoundRadius <= HearingRadius.");
        if (SoundChance is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(SoundChance), SoundChance, "SoundChance must be in 0..1.");
        if (PathNodeBudget is < 100 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(PathNodeBudget), PathNodeBudget, "PathNodeBudget must be in 100..1000000.");
        return this;
    }
}
