namespace Steve2.Pipeline.World;

/// <summary>
/// Size and shape of a generated world. The world spans x in [-SizeX/2, SizeX/2), z likewise, and
/// y in [0, SizeY); bedrock lies at y = 0. Generation rules are in WORLD.md.
/// </summary>
/// <param name="SizeX">Blocks east-west (32..1024, a multiple of 16).</param>
/// <param name="SizeY">Blocks of height (48..256).</param>
/// <param name="SizeZ">Blocks north-south (32..1024, a multiple of 16).</param>
/// <param name="WaterLevel">y of the highest water block of lakes and seas (16..SizeY-24).</param>
public sealed record WorldOptions(int SizeX = 256, int SizeY = 96, int SizeZ = 256, int WaterLevel = 40)
{
    /// <summary>The default world: 256 x 96 x 256 blocks, water at y = 40.</summary>
    public static WorldOptions Default { get; } = new();

    /// <summary>Throws with what to change when the options cannot make a world.</summary>
    public WorldOptions Validated()
    {
        if (SizeX is < 32 or > 1024 || SizeX % 16 != 0)
            throw new ArgumentOutOfRangeException(nameof(SizeX), SizeX, "SizeX must be a multiple of 16 in 32..1024.");
        if (SizeZ is < 32 or > 1024 || SizeZ % 16 != 0)
            throw new ArgumentOutOfRangeException(nameof(SizeZ), SizeZ, "SizeZ must be a multiple of 16 in 32..1024.");
        if (SizeY is < 48 or > 256)
            throw new ArgumentOutOfRangeException(nameof(SizeY), SizeY, "SizeY must be in 48..256.");
        if (WaterLevel < 16 || WaterLevel > SizeY - 24)
            throw new ArgumentOutOfRangeException(nameof(WaterLevel), WaterLevel, $"WaterLevel must be in 16..{SizeY - 24} (SizeY - 24) so mountains fit above it.");
        return this;
    }
}
