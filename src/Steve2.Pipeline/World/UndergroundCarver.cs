using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>Caves (worms carving spheres through stone) and ore veins (random walks replacing stone).</summary>
internal static class UndergroundCarver
{
    /// <summary>An ore's vein rule: veins per 256 x 256 blocks of area, blocks per vein, and the y range.</summary>
    internal sealed record OreRule(Block Ore, int VeinsPer65536, int MinSize, int MaxSize, int MinY, int MaxY);

    /// <summary>The ore table (WORLD.md): coal common and shallow, iron mid, gold deeper, diamond rare and deep.</summary>
    internal static readonly OreRule[] Ores =
    [
        new(Block.CoalOre, 420, 6, 14, 5, 80),
        new(Block.IronOre, 260, 4, 9, 5, 48),
        new(Block.GoldOre, 90, 3, 7, 4, 28),
        new(Block.DiamondOre, 60, 2, 5, 2, 15),
    ];

    private static double AreaFactor(VoxelWorld world) => world.Options.SizeX * (double)world.Options.SizeZ / 65536.0;

    public static void CarveCaves(VoxelWorld world, SplitMix64 rng)
    {
        int worms = Math.Max(2, (int)Math.Round(40 * AreaFactor(world)));
        int water = world.Options.WaterLevel;
        for (int w = 0; w < worms; w++)
        {
            double x = rng.Next(world.MinX, world.MaxX + 1), z = rng.Next(world.MinZ, world.MaxZ + 1);
            double y = rng.Next(6, water - 4);
            double yaw = rng.NextDouble() * Math.PI * 2, pitch = (rng.NextDouble() - 0.5) * 0.4;
            int length = rng.Next(60, 140);
            double radius = 1.4 + rng.NextDouble() * 1.6;
            for (int s = 0; s < length; s++)
            {
                x += Math.Cos(yaw) * Math.Cos(pitch);
                z += Math.Sin(yaw) * Math.Cos(pitch);
                y += Math.Sin(pitch);
                yaw += (rng.NextDouble() - 0.5) * 0.5;
                pitch = Math.Clamp(pitch * 0.9 + (rng.NextDouble() - 0.5) * 0.3, -0.6, 0.6);
                if (y < 4) pitch = Math.Abs(pitch);
                double r = radius * (0.8 + 0.4 * rng.NextDouble());
                CarveSphere(world, x, y, z, r);
            }
        }
    }

    private static void CarveSphere(VoxelWorld world, double cx, double cy, double cz, double r)
    {
        int water = world.Options.WaterLevel;
        int x0 = (int)Math.Floor(cx - r), x1 = (int)Math.Ceiling(cx + r);
        int y0 = Math.Max(1, (int)Math.Floor(cy - r)), y1 = (int)Math.Ceiling(cy + r);
        int z0 = (int)Math.Floor(cz - r), z1 = (int)Math.Ceiling(cz + r);
        for (int x = x0; x <= x1; x++)
        for (int z = z0; z <= z1; z++)
        {
            if (!world.InBoundsColumn(x, z)) continue;
            // Keep a roof under lakes and seas so water never floats over a cave.
            int roofLimit = world.BiomeAt(x, z) == Biome.Water ? world.SurfaceHeight(x, z) - 3 : int.MaxValue;
            for (int y = y0; y <= y1; y++)
            {
                if (y >= roofLimit || y >= world.SizeY - 1) continue;
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy, dz = z + 0.5 - cz;
                if (dx * dx + dy * dy + dz * dz > r * r) continue;
                var b = world.Get(x, y, z);
                if (b is Block.Bedrock or Block.Water or Block.Air) continue;
                // Near the surface, do not break into water above.
                if (world.Get(x, y + 1, z) == Block.Water && y >= water - 1) continue;
                world.Set(x, y, z, Block.Air);
            }
        }
    }

    public static void PlaceOres(VoxelWorld world, SplitMix64 rng)
    {
        double area = AreaFactor(world);
        foreach (var rule in Ores)
        {
            int veins = Math.Max(1, (int)Math.Round(rule.VeinsPer65536 * area));
            int maxY = Math.Min(rule.MaxY, world.SizeY - 2);
            for (int v = 0; v < veins; v++)
            {
                int x = rng.Next(world.MinX, world.MaxX + 1), z = rng.Next(world.MinZ, world.MaxZ + 1);
                int y = rng.Next(rule.MinY, maxY + 1);
                int size = rng.Next(rule.MinSize, rule.MaxSize + 1);
                for (int i = 0; i < size; i++)
                {
                    if (y >= rule.MinY && y <= maxY && world.Get(x, y, z) == Block.Stone) world.Set(x, y, z, rule.Ore);
                    switch (rng.Next(0, 6))
                    {
                        case 0: x++; break;
                        case 1: x--; break;
                        case 2: z++; break;
                        case 3: z--; break;
                        case 4: y++; break;
                        default: y--; break;
                    }
                }
            }
        }
    }
}
