using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>
/// Caves (worms carving spheres through stone), descents (sloped tunnels from a surface mouth down to the deep
/// layer, then a level deep cave), ravines (narrow cuts from the surface down to the deep layer), ore veins
/// (random walks replacing stone) and ores lining cave walls (veins started on stone that touches cave air).
/// WORLD.md gives every rule and its figures.
/// </summary>
internal static class UndergroundCarver
{
    /// <summary>An ore's vein rule: veins per 256 x 256 blocks of area, blocks per vein, and the y range.</summary>
    internal sealed record OreRule(Block Ore, int VeinsPer65536, int MinSize, int MaxSize, int MinY, int MaxY);

    /// <summary>The ore table (WORLD.md): coal common and shallow, iron mid, gold deeper, diamond rare and deep.</summary>
    internal static readonly OreRule[] Ores =
    [
        new(Block.CoalOre, 420, 6, 14, 5, 80),
        new(Block.IronOre, 260, 4, 9, 5, 48),
        new(Block.GoldOre, 170, 3, 7, 4, 28),
        new(Block.DiamondOre, 60, 2, 5, 2, 15),
    ];

    /// <summary>Ore veins started on a cave wall (stone touching air), per 256 x 256 blocks of area (WORLD.md).</summary>
    internal static readonly OreRule[] WallOres =
    [
        new(Block.CoalOre, 160, 3, 8, 5, 80),
        new(Block.IronOre, 110, 2, 6, 5, 48),
        new(Block.GoldOre, 100, 2, 4, 4, 28),
        new(Block.DiamondOre, 360, 1, 4, 2, 15),
    ];

    /// <summary>The top of the deep layer where the descents and deep caves run (the diamonds' range is 2..15).</summary>
    public const int DeepLayerTop = 13;

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

    /// <summary>
    /// Descents: sloped, winding tunnels from a cave mouth on dry land down to the deep layer (pitch -0.35..-0.6 rad,
    /// so the floor drops less than one block per block walked and stays walkable both ways), each ending in a level
    /// deep cave of 50-110 steps at y 5..<see cref="DeepLayerTop"/> with one side branch; plus level deep worms.
    /// </summary>
    public static void CarveDescents(VoxelWorld world, SplitMix64 rng)
    {
        double area = AreaFactor(world);
        int descents = Math.Max(2, (int)Math.Round(14 * area));
        for (int d = 0; d < descents; d++)
        {
            // A start column on dry land, away from the world's edge.
            int sx = 0, sz = 0;
            bool found = false;
            for (int attempt = 0; attempt < 30 && !found; attempt++)
            {
                sx = rng.Next(world.MinX + 12, world.MaxX - 11);
                sz = rng.Next(world.MinZ + 12, world.MaxZ - 11);
                found = world.BiomeAt(sx, sz) is Biome.Plains or Biome.Forest or Biome.Desert;
            }
            if (!found) continue;
            double x = sx + 0.5, z = sz + 0.5, y = world.SurfaceHeight(sx, sz) + 1;
            double yaw = rng.NextDouble() * Math.PI * 2;
            double radius = 1.7 + rng.NextDouble() * 0.6;
            int bottom = rng.Next(6, DeepLayerTop - 1);
            for (int s = 0; s < 200 && y > bottom; s++)
            {
                double pitch = -(0.35 + rng.NextDouble() * 0.25);
                x += Math.Cos(yaw) * Math.Cos(pitch);
                z += Math.Sin(yaw) * Math.Cos(pitch);
                y += Math.Sin(pitch);
                yaw += (rng.NextDouble() - 0.5) * 0.35;
                if (!world.InBoundsColumn((int)Math.Floor(x), (int)Math.Floor(z))) break;
                CarveSphere(world, x, y, z, radius);
            }
            DeepWorm(world, rng, x, y, z, yaw, rng.Next(50, 110), branch: true);
        }
        int worms = Math.Max(2, (int)Math.Round(36 * area));
        for (int w = 0; w < worms; w++)
            DeepWorm(world, rng, rng.Next(world.MinX, world.MaxX + 1), rng.Next(5, DeepLayerTop + 1), rng.Next(world.MinZ, world.MaxZ + 1),
                rng.NextDouble() * Math.PI * 2, rng.Next(40, 100), branch: false);
    }

    /// <summary>A level cave in the deep layer: a slowly turning worm kept within y 4..<see cref="DeepLayerTop"/>, optionally with one branch.</summary>
    private static void DeepWorm(VoxelWorld world, SplitMix64 rng, double x, double y, double z, double yaw, int length, bool branch)
    {
        double radius = 1.6 + rng.NextDouble() * 1.2;
        double pitch = 0;
        int branchAt = branch ? rng.Next(length / 4, 3 * length / 4 + 1) : -1;
        for (int s = 0; s < length; s++)
        {
            x += Math.Cos(yaw) * Math.Cos(pitch);
            z += Math.Sin(yaw) * Math.Cos(pitch);
            y = Math.Clamp(y + Math.Sin(pitch), 4, DeepLayerTop);
            yaw += (rng.NextDouble() - 0.5) * 0.5;
            pitch = Math.Clamp(pitch * 0.8 + (rng.NextDouble() - 0.5) * 0.2, -0.3, 0.3);
            CarveSphere(world, x, y, z, radius * (0.85 + 0.3 * rng.NextDouble()));
            if (s == branchAt) DeepWorm(world, rng, x, y, z, yaw + (rng.Chance(0.5) ? 1 : -1) * (0.8 + rng.NextDouble() * 0.8), length / 2, branch: false);
        }
    }

    /// <summary>
    /// Ravines: narrow cuts 30-70 blocks long that open at the surface and reach down to y 6..10, 1.2-2.6 blocks
    /// wide on each side at the top and narrowing with depth (their walls show the ores of every depth).
    /// </summary>
    public static void CarveRavines(VoxelWorld world, SplitMix64 rng)
    {
        int ravines = Math.Max(1, (int)Math.Round(3 * AreaFactor(world)));
        for (int r = 0; r < ravines; r++)
        {
            double x = rng.Next(world.MinX + 16, world.MaxX - 15) + 0.5, z = rng.Next(world.MinZ + 16, world.MaxZ - 15) + 0.5;
            if (world.BiomeAt((int)Math.Floor(x), (int)Math.Floor(z)) == Biome.Water) continue;
            double yaw = rng.NextDouble() * Math.PI * 2;
            int length = rng.Next(30, 71);
            int floor = rng.Next(6, 11);
            double width = 1.2 + rng.NextDouble() * 1.4;
            for (int s = 0; s < length; s++)
            {
                x += Math.Cos(yaw);
                z += Math.Sin(yaw);
                yaw += (rng.NextDouble() - 0.5) * 0.2;
                // Narrow at both ends.
                double taper = Math.Min(1, Math.Min(s + 3, length - s + 2) / 8.0);
                CarveSlice(world, x, z, floor, width * taper);
            }
        }
    }

    /// <summary>One cross-section of a ravine: every cell within the half-width (narrowing toward the floor) from the floor up through the surface.</summary>
    private static void CarveSlice(VoxelWorld world, double cx, double cz, int floor, double halfWidth)
    {
        int r = (int)Math.Ceiling(halfWidth);
        for (int x = (int)Math.Floor(cx) - r; x <= (int)Math.Floor(cx) + r; x++)
        for (int z = (int)Math.Floor(cz) - r; z <= (int)Math.Floor(cz) + r; z++)
        {
            if (!world.InBoundsColumn(x, z) || world.BiomeAt(x, z) == Biome.Water) continue;
            int top = world.SurfaceHeight(x, z);
            double dx = x + 0.5 - cx, dz = z + 0.5 - cz, d = Math.Sqrt(dx * dx + dz * dz);
            for (int y = floor; y <= top; y++)
            {
                double w = halfWidth * (0.45 + 0.55 * Math.Min(1, (y - floor) / 12.0));
                if (d > w) continue;
                var b = world.Get(x, y, z);
                if (b is Block.Bedrock or Block.Water or Block.Air) continue;
                if (world.Get(x, y + 1, z) == Block.Water) continue;
                world.Set(x, y, z, Block.Air);
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
                if (y >= water - 1 && world.Get(x, y + 1, z) == Block.Water) continue;
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
                    StepVein(rng, ref x, ref y, ref z);
                }
            }
        }
    }

    /// <summary>One step of an ore vein's random walk: one of the six neighbours, each as likely.</summary>
    private static void StepVein(SplitMix64 rng, ref int x, ref int y, ref int z)
    {
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

    /// <summary>
    /// Ores lining cave walls: for each <see cref="WallOres"/> rule, veins started on a stone block that touches air
    /// (found by random probes in the ore's y range), each a random walk over stone that stays on the wall. Runs after
    /// every cave is carved, so deep caves show their diamonds.
    /// </summary>
    public static void LineCaveWalls(VoxelWorld world, SplitMix64 rng)
    {
        double area = AreaFactor(world);
        foreach (var rule in WallOres)
        {
            int veins = Math.Max(1, (int)Math.Round(rule.VeinsPer65536 * area));
            int maxY = Math.Min(rule.MaxY, world.SizeY - 2);
            int placed = 0;
            for (int attempt = 0; attempt < veins * 400 && placed < veins; attempt++)
            {
                int x = rng.Next(world.MinX, world.MaxX + 1), z = rng.Next(world.MinZ, world.MaxZ + 1);
                int y = rng.Next(rule.MinY, maxY + 1);
                if (world.Get(x, y, z) != Block.Stone || !TouchesAir(world, x, y, z)) continue;
                placed++;
                int size = rng.Next(rule.MinSize, rule.MaxSize + 1);
                for (int i = 0; i < size * 3 && size > 0; i++)
                {
                    if (y >= rule.MinY && y <= maxY && world.Get(x, y, z) == Block.Stone && TouchesAir(world, x, y, z))
                    {
                        world.Set(x, y, z, rule.Ore);
                        size--;
                    }
                    StepVein(rng, ref x, ref y, ref z);
                }
            }
        }
    }

    /// <summary>Whether a block has air on any of its six sides (a cave wall, floor or ceiling).</summary>
    internal static bool TouchesAir(VoxelWorld world, int x, int y, int z) =>
        world.Get(x + 1, y, z) == Block.Air || world.Get(x - 1, y, z) == Block.Air || world.Get(x, y + 1, z) == Block.Air
        || world.Get(x, y - 1, z) == Block.Air || world.Get(x, y, z + 1) == Block.Air || world.Get(x, y, z - 1) == Block.Air;
}
