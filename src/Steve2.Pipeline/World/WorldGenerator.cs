using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>
/// Generates a world from a seed: terrain and biomes from fractal value noise, then caves, ores, trees,
/// structures with chests, animals and the spawn point (WORLD.md describes each rule). Deterministic:
/// the same seed and options give the same world, byte for byte. Every stage draws from its own stream
/// derived from the seed, so changing one stage does not reshuffle the others.
/// </summary>
public static class WorldGenerator
{
    /// <summary>Sub-stream ids (stable: the recorded worlds depend on them).</summary>
    private const int TerrainStream = 1, CaveStream = 2, OreStream = 3, TreeStream = 4, StructureStream = 5, AnimalStream = 6,
        DescentStream = 8, RavineStream = 9, WallOreStream = 10;

    public static VoxelWorld Generate(long seed, WorldOptions? options = null)
    {
        var world = new VoxelWorld(seed, options ?? WorldOptions.Default);
        ShapeTerrain(world, seed);
        UndergroundCarver.CarveCaves(world, new SplitMix64(SplitMix64.Combine(seed, CaveStream)));
        UndergroundCarver.CarveDescents(world, new SplitMix64(SplitMix64.Combine(seed, DescentStream)));
        UndergroundCarver.CarveRavines(world, new SplitMix64(SplitMix64.Combine(seed, RavineStream)));
        UndergroundCarver.PlaceOres(world, new SplitMix64(SplitMix64.Combine(seed, OreStream)));
        UndergroundCarver.LineCaveWalls(world, new SplitMix64(SplitMix64.Combine(seed, WallOreStream)));
        StructureBuilder.PlantTrees(world, new SplitMix64(SplitMix64.Combine(seed, TreeStream)));
        StructureBuilder.BuildStructures(world, new SplitMix64(SplitMix64.Combine(seed, StructureStream)));
        world.InitialAnimals = SpawnAnimals(world, new SplitMix64(SplitMix64.Combine(seed, AnimalStream)));
        world.RecomputeTop();
        world.Spawn = FindSpawn(world);
        return world;
    }

    /// <summary>The terrain height and biome of one column (before caves and structures).</summary>
    internal readonly record struct Column(int Height, Biome Biome);

    /// <summary>Noise fields of the terrain, sampled per column.</summary>
    internal sealed class TerrainNoise(long seed, WorldOptions options)
    {
        private readonly ValueNoise _continent = new(SplitMix64.Combine(seed, TerrainStream, 1));
        private readonly ValueNoise _detail = new(SplitMix64.Combine(seed, TerrainStream, 2));
        private readonly ValueNoise _mountain = new(SplitMix64.Combine(seed, TerrainStream, 3));
        private readonly ValueNoise _temperature = new(SplitMix64.Combine(seed, TerrainStream, 4));
        private readonly ValueNoise _moisture = new(SplitMix64.Combine(seed, TerrainStream, 5));

        public Column At(int x, int z)
        {
            int water = options.WaterLevel;
            double continent = _continent.Fractal2(x, z, 96, 3);
            double detail = _detail.Fractal2(x, z, 24, 3);
            double mountain = _mountain.Fractal2(x, z, 72, 4);
            double height = water + 3 + 4 * detail;
            if (continent < -0.2) height -= (-0.2 - continent) * 45;
            double ridge = Math.Max(0, mountain - 0.05);
            height += ridge * ridge * 160 + ridge * 20;
            int h = Math.Clamp((int)Math.Round(height), 4, options.SizeY - 8);
            Biome biome;
            if (h <= water) biome = Biome.Water;
            else if (h >= water + 14) biome = Biome.Mountains;
            else if (_temperature.Fractal2(x, z, 80, 2) > 0.25) biome = Biome.Desert;
            else if (_moisture.Fractal2(x, z, 64, 2) > -0.1) biome = Biome.Forest;
            else biome = Biome.Plains;
            return new Column(h, biome);
        }
    }

    /// <summary>y at and above which mountains are capped with snow.</summary>
    public static int SnowLine(WorldOptions options) => options.WaterLevel + 24;

    private static void ShapeTerrain(VoxelWorld world, long seed)
    {
        var options = world.Options;
        var noise = new TerrainNoise(seed, options);
        int water = options.WaterLevel, snow = SnowLine(options);
        for (int x = world.MinX; x <= world.MaxX; x++)
        {
            for (int z = world.MinZ; z <= world.MaxZ; z++)
            {
                var (h, biome) = noise.At(x, z);
                world.SetBiome(x, z, biome);
                Block top, filler;
                switch (biome)
                {
                    case Biome.Water:
                        top = h < water - 3 ? Block.Gravel : Block.Sand;
                        filler = Block.Sand;
                        break;
                    case Biome.Desert:
                        top = Block.Sand;
                        filler = Block.Sandstone;
                        break;
                    case Biome.Mountains:
                        top = h >= snow ? Block.Snow : h >= water + 20 ? Block.Stone : Block.Grass;
                        filler = h >= water + 20 ? Block.Stone : Block.Dirt;
                        break;
                    default:
                        top = h <= water + 1 ? Block.Sand : Block.Grass;
                        filler = h <= water + 1 ? Block.Sand : Block.Dirt;
                        break;
                }
                var column = world.Column(x, z);
                column[0] = (byte)Block.Bedrock;
                column[1..Math.Max(1, h - 3)].Fill((byte)Block.Stone);
                column[Math.Max(1, h - 3)..h].Fill((byte)filler);
                column[h] = (byte)top;
                if (h < water) column[(h + 1)..(water + 1)].Fill((byte)Block.Water);
            }
        }
    }

    private static IReadOnlyList<(string Kind, BlockPos Position)> SpawnAnimals(VoxelWorld world, SplitMix64 rng)
    {
        string[] kinds = ["pig", "cow", "sheep", "chicken"];
        int target = Math.Max(8, world.Options.SizeX * world.Options.SizeZ / 1400);
        var animals = new List<(string, BlockPos)>();
        for (int attempt = 0; attempt < target * 20 && animals.Count < target; attempt++)
        {
            int x = rng.Next(world.MinX + 2, world.MaxX - 1), z = rng.Next(world.MinZ + 2, world.MaxZ - 1);
            var biome = world.BiomeAt(x, z);
            if (biome is not (Biome.Plains or Biome.Forest)) continue;
            int y = world.SurfaceHeight(x, z);
            if (world.Get(x, y, z) != Block.Grass || world.Get(x, y + 1, z) != Block.Air || world.Get(x, y + 2, z) != Block.Air) continue;
            var kind = kinds[rng.Next(0, kinds.Length)];
            // Animals come in small herds of the same kind.
            for (int k = 0; k < 3 && animals.Count < target; k++)
            {
                int ax = x + rng.Next(-3, 4), az = z + rng.Next(-3, 4);
                int ay = world.SurfaceHeight(ax, az);
                if (world.Get(ax, ay, az) == Block.Grass && world.Get(ax, ay + 1, az) == Block.Air && world.Get(ax, ay + 2, az) == Block.Air)
                    animals.Add((kind, new BlockPos(ax, ay + 1, az)));
            }
        }
        return animals;
    }

    /// <summary>The standable land column nearest the origin (spiral search) whose surface is above the water level, feet on it.</summary>
    private static BlockPos FindSpawn(VoxelWorld world)
    {
        int limit = Math.Min(world.Options.SizeX, world.Options.SizeZ) / 2 - 2;
        for (int r = 0; r <= limit; r++)
        {
            for (int dx = -r; dx <= r; dx++)
            {
                for (int dz = -r; dz <= r; dz++)
                {
                    if (Math.Max(Math.Abs(dx), Math.Abs(dz)) != r) continue;
                    var p = StandingPosition(world, dx, dz);
                    // Above the water level: a land column whose top a ravine or cave mouth carved away is no spawn.
                    if (p is { } pos && pos.Y > world.Options.WaterLevel + 1 && world.BiomeAt(dx, dz) is Biome.Plains or Biome.Forest or Biome.Desert) return pos;
                }
            }
        }
        return new BlockPos(0, world.SurfaceHeight(0, 0) + 1, 0);
    }

    /// <summary>The feet position on top of a column when an agent can stand there (solid, non-water ground, two free cells), else null.</summary>
    public static BlockPos? StandingPosition(VoxelWorld world, int x, int z)
    {
        int y = world.SurfaceHeight(x, z);
        var ground = world.Get(x, y, z);
        if (!BlockTable.IsSolid(ground) || ground == Block.Water) return null;
        if (world.Get(x, y + 1, z) != Block.Air || world.Get(x, y + 2, z) != Block.Air) return null;
        return new BlockPos(x, y + 1, z);
    }
}
