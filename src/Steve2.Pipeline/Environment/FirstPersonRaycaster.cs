using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// Ray-casts the voxels from an eye: one ray per pixel, stepped cell by cell (Amanatides and Woo's
/// DDA) up to the view distance. A hit block is drawn in its colour (BlockTable) with a fixed shade per
/// face (top brightest), blended toward the sky colour with distance (fog); rays that hit nothing show a
/// vertical sky gradient. Entities are drawn as coloured boxes. OBSERVATIONS.md gives the exact rules.
/// </summary>
public static class FirstPersonRaycaster
{
    private static readonly (byte R, byte G, byte B) SkyHorizon = (178, 206, 242);
    private static readonly (byte R, byte G, byte B) SkyZenith = (98, 146, 226);

    /// <summary>Unit view direction of a yaw and pitch (degrees) in the world frame (yaw 0 is +z, 90 is -x; pitch +90 down).</summary>
    public static Vec3 Forward(double yawDeg, double pitchDeg)
    {
        double yaw = yawDeg * Math.PI / 180, pitch = pitchDeg * Math.PI / 180;
        return new Vec3(-Math.Sin(yaw) * Math.Cos(pitch), -Math.Sin(pitch), Math.Cos(yaw) * Math.Cos(pitch));
    }

    public static Vec3 Eye(Pose pose) => new(pose.Position.X, pose.Position.Y + Pose.EyeHeight, pose.Position.Z);

    /// <summary>Renders the view of <paramref name="pose"/>.</summary>
    /// <param name="world">The blocks.</param>
    /// <param name="pose">Feet position and view direction.</param>
    /// <param name="entities">Entities that may be drawn (the viewer itself excluded by the caller).</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="fovDegrees">Horizontal field of view.</param>
    /// <param name="viewDistance">Blocks beyond this are not seen (sky colour).</param>
    public static RenderResult Render(VoxelWorld world, Pose pose, IReadOnlyList<SeenEntity> entities, int width, int height, double fovDegrees, double viewDistance)
    {
        var eye = Eye(pose);
        var f = Forward(pose.Yaw, pose.Pitch);
        // right = forward x up (world up), up' = right x forward; when looking straight up or down use yaw for right.
        var right = Normalize(Cross(f, new Vec3(0, 1, 0)));
        if (double.IsNaN(right.X)) right = Normalize(Cross(Forward(pose.Yaw, 0), new Vec3(0, 1, 0)));
        var up = Cross(right, f);
        double tanH = Math.Tan(fovDegrees * Math.PI / 360), tanV = tanH * height / width;

        var candidates = new List<(SeenEntity Entity, double HalfWidth, double Height, byte R, byte G, byte B)>();
        foreach (var e in entities)
        {
            var c = new Vec3(e.Position.X - eye.X, e.Position.Y - eye.Y, e.Position.Z - eye.Z);
            if (Length(c) > viewDistance + 2) continue;
            var (hw, hh, r, g, b) = EntityShapes.Of(e.Kind);
            candidates.Add((e, hw, hh, r, g, b));
        }
        var entityHit = new bool[candidates.Count];

        var pixels = new byte[width * height * 3];
        var hits = new Dictionary<BlockPos, double>();
        for (int py = 0; py < height; py++)
        {
            double v = (1 - 2 * (py + 0.5) / height) * tanV;
            for (int px = 0; px < width; px++)
            {
                double u = (2 * (px + 0.5) / width - 1) * tanH;
                var d = Normalize(new Vec3(f.X + u * right.X + v * up.X, f.Y + u * right.Y + v * up.Y, f.Z + u * right.Z + v * up.Z));
                var (r, g, b) = TraceColour(world, eye, d, viewDistance, candidates, entityHit, hits);
                int i = (py * width + px) * 3;
                pixels[i] = r;
                pixels[i + 1] = g;
                pixels[i + 2] = b;
            }
        }

        var seenEntities = new List<SeenEntity>();
        for (int k = 0; k < candidates.Count; k++)
        {
            var e = candidates[k].Entity;
            var centre = new Vec3(e.Position.X, e.Position.Y + candidates[k].Height / 2, e.Position.Z);
            if (entityHit[k] || InFrustum(eye, centre, f, right, up, tanH, tanV, viewDistance) && LineOfSight(world, eye, centre))
                seenEntities.Add(e);
        }
        var hitList = hits.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key.X).ThenBy(kv => kv.Key.Y).ThenBy(kv => kv.Key.Z)
            .Select(kv => new SeenBlock(kv.Key, world.Get(kv.Key))).ToList();
        return new RenderResult(new RgbImage(width, height, pixels), hitList, seenEntities);
    }

    private static (byte, byte, byte) TraceColour(VoxelWorld world, Vec3 eye, Vec3 d, double maxDistance,
        List<(SeenEntity Entity, double HalfWidth, double Height, byte R, byte G, byte B)> candidates, bool[] entityHit, Dictionary<BlockPos, double> hits)
    {
        var hit = Trace(world, eye, d, maxDistance);
        double blockT = hit?.Distance ?? double.PositiveInfinity;
        int nearestEntity = -1;
        double entityT = blockT;
        int entityFace = 0;
        for (int k = 0; k < candidates.Count; k++)
        {
            var c = candidates[k];
            var p = c.Entity.Position;
            if (RayBox(eye, d, p.X - c.HalfWidth, p.Y, p.Z - c.HalfWidth, p.X + c.HalfWidth, p.Y + c.Height, p.Z + c.HalfWidth, out double t, out int face) && t < entityT && t <= maxDistance)
            {
                entityT = t;
                nearestEntity = k;
                entityFace = face;
            }
        }
        if (nearestEntity >= 0)
        {
            entityHit[nearestEntity] = true;
            var c = candidates[nearestEntity];
            return Shade(c.R, c.G, c.B, entityFace, entityT, maxDistance, d);
        }
        if (hit is { } h)
        {
            if (!hits.TryGetValue(h.Position, out double old) || h.Distance < old) hits[h.Position] = h.Distance;
            var info = BlockTable.Get(world.Get(h.Position));
            return Shade(info.R, info.G, info.B, h.Face, h.Distance, maxDistance, d);
        }
        return Sky(d);
    }

    /// <summary>Face codes: 0 top, 1 bottom, 2 east/west side, 3 north/south side.</summary>
    private static (byte, byte, byte) Shade(byte r, byte g, byte b, int face, double distance, double maxDistance, Vec3 d)
    {
        double shade = face switch { 0 => 1.0, 1 => 0.55, 2 => 0.8, _ => 0.68 };
        double fog = Math.Clamp(distance / maxDistance, 0, 1);
        fog *= fog;
        var sky = Sky(d);
        return (Mix(r * shade, sky.Item1, fog), Mix(g * shade, sky.Item2, fog), Mix(b * shade, sky.Item3, fog));
    }

    private static byte Mix(double colour, byte sky, double fog) => (byte)Math.Clamp(Math.Round(colour * (1 - fog) + sky * fog), 0, 255);

    private static (byte, byte, byte) Sky(Vec3 d)
    {
        double t = Math.Clamp(d.Y, 0, 1);
        return ((byte)(SkyHorizon.R + (SkyZenith.R - SkyHorizon.R) * t), (byte)(SkyHorizon.G + (SkyZenith.G - SkyHorizon.G) * t), (byte)(SkyHorizon.B + (SkyZenith.B - SkyHorizon.B) * t));
    }

    /// <summary>A ray's first non-air block: its position, the distance along the ray, and the face code.</summary>
    public readonly record struct RayHit(BlockPos Position, double Distance, int Face);

    /// <summary>Steps a unit ray through the cells (DDA) and returns the first non-air block within <paramref name="maxDistance"/>, or null.</summary>
    public static RayHit? Trace(VoxelWorld world, Vec3 origin, Vec3 d, double maxDistance)
    {
        int x = (int)Math.Floor(origin.X), y = (int)Math.Floor(origin.Y), z = (int)Math.Floor(origin.Z);
        int stepX = Math.Sign(d.X), stepY = Math.Sign(d.Y), stepZ = Math.Sign(d.Z);
        double tDeltaX = stepX != 0 ? Math.Abs(1 / d.X) : double.PositiveInfinity;
        double tDeltaY = stepY != 0 ? Math.Abs(1 / d.Y) : double.PositiveInfinity;
        double tDeltaZ = stepZ != 0 ? Math.Abs(1 / d.Z) : double.PositiveInfinity;
        double tMaxX = stepX > 0 ? (x + 1 - origin.X) * tDeltaX : stepX < 0 ? (origin.X - x) * tDeltaX : double.PositiveInfinity;
        double tMaxY = stepY > 0 ? (y + 1 - origin.Y) * tDeltaY : stepY < 0 ? (origin.Y - y) * tDeltaY : double.PositiveInfinity;
        double tMaxZ = stepZ > 0 ? (z + 1 - origin.Z) * tDeltaZ : stepZ < 0 ? (origin.Z - z) * tDeltaZ : double.PositiveInfinity;
        // Walk the storage index along with the cell: x moves by SizeZ * SizeY, z by SizeY, y by 1.
        byte[] blocks = world.Storage;
        int sizeX = world.Options.SizeX, sizeY = world.SizeY, sizeZ = world.Options.SizeZ;
        int strideX = sizeZ * sizeY, strideZ = sizeY;
        int lx = x - world.MinX, lz = z - world.MinZ;
        int index = lx * strideX + lz * strideZ + y;
        int topY = world.TopY;
        double t = 0;
        int face = 0;
        while (t <= maxDistance)
        {
            // Leaving the world (below, past its edge, or above its highest block while rising) means nothing is hit: the sky shows.
            if (y < 0 || y > topY && stepY >= 0 || (uint)lx >= (uint)sizeX || (uint)lz >= (uint)sizeZ) return null;
            // The eye's own cell (t = 0) is never a hit; cells above the world are air.
            if (t > 0 && y < sizeY && blocks[index] != (byte)Block.Air) return new RayHit(new BlockPos(x, y, z), t, face);
            if (tMaxX < tMaxY && tMaxX < tMaxZ)
            {
                t = tMaxX;
                tMaxX += tDeltaX;
                x += stepX;
                lx += stepX;
                index += stepX * strideX;
                face = 2;
            }
            else if (tMaxY < tMaxZ)
            {
                t = tMaxY;
                tMaxY += tDeltaY;
                y += stepY;
                index += stepY;
                face = stepY < 0 ? 0 : 1;
            }
            else
            {
                t = tMaxZ;
                tMaxZ += tDeltaZ;
                z += stepZ;
                lz += stepZ;
                index += stepZ * strideZ;
                face = 3;
            }
        }
        return null;
    }

    /// <summary>Whether the segment from <paramref name="from"/> to <paramref name="to"/> crosses no block other than air or the target's own cell.</summary>
    public static bool LineOfSight(VoxelWorld world, Vec3 from, Vec3 to)
    {
        var delta = new Vec3(to.X - from.X, to.Y - from.Y, to.Z - from.Z);
        double length = Length(delta);
        if (length < 1e-9) return true;
        var hit = Trace(world, from, new Vec3(delta.X / length, delta.Y / length, delta.Z / length), length);
        return hit is null || hit.Value.Position == to.Floor();
    }

    private static bool InFrustum(Vec3 eye, Vec3 p, Vec3 f, Vec3 right, Vec3 up, double tanH, double tanV, double maxDistance)
    {
        var c = new Vec3(p.X - eye.X, p.Y - eye.Y, p.Z - eye.Z);
        double depth = Dot(c, f);
        if (depth <= 0.1 || Length(c) > maxDistance) return false;
        return Math.Abs(Dot(c, right)) <= depth * tanH && Math.Abs(Dot(c, up)) <= depth * tanV;
    }

    private static bool RayBox(Vec3 o, Vec3 d, double x0, double y0, double z0, double x1, double y1, double z1, out double t, out int face)
    {
        double tMin = 0, tMax = double.PositiveInfinity;
        face = 0;
        t = 0;
        if (!Slab(o.X, d.X, x0, x1, 2, ref tMin, ref tMax, ref face)) return false;
        if (!Slab(o.Y, d.Y, y0, y1, d.Y < 0 ? 0 : 1, ref tMin, ref tMax, ref face)) return false;
        if (!Slab(o.Z, d.Z, z0, z1, 3, ref tMin, ref tMax, ref face)) return false;
        t = tMin;
        return tMin > 0;
    }

    private static bool Slab(double o, double d, double lo, double hi, int axisFace, ref double tMin, ref double tMax, ref int face)
    {
        if (Math.Abs(d) < 1e-12) return o >= lo && o <= hi;
        double t0 = (lo - o) / d, t1 = (hi - o) / d;
        if (t0 > t1) (t0, t1) = (t1, t0);
        if (t0 > tMin)
        {
            tMin = t0;
            face = axisFace;
        }
        tMax = Math.Min(tMax, t1);
        return tMin <= tMax;
    }

    private static Vec3 Cross(Vec3 a, Vec3 b) => new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);
    private static double Dot(Vec3 a, Vec3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;
    private static double Length(Vec3 a) => Math.Sqrt(Dot(a, a));
    private static Vec3 Normalize(Vec3 a)
    {
        double l = Length(a);
        return new Vec3(a.X / l, a.Y / l, a.Z / l);
    }
}
