namespace Expert.DynamicMap.Geometry;

/// <summary>
/// An agent's pose as the map receives it with an observation and keeps it per agent: the position
/// of its feet and where it looks. Angles are in degrees with the Minecraft (F3 screen) convention:
/// yaw 0 looks toward +z (south), 90 toward -x (west), 180 toward -z (north), 270 (or -90) toward
/// +x (east); pitch 0 is level, +90 straight down, -90 straight up. The eye is
/// <see cref="MapOptions.EyeHeight"/> above the feet.
/// </summary>
public readonly record struct MapPose(double X, double Y, double Z, float Yaw, float Pitch)
{
    public Vec3 Position => new(X, Y, Z);

    /// <summary>Unit vector the pose looks along.</summary>
    public Vec3 LookDirection
    {
        get
        {
            double yaw = Yaw * Math.PI / 180.0, pitch = Pitch * Math.PI / 180.0;
            return new Vec3(-Math.Sin(yaw) * Math.Cos(pitch), -Math.Sin(pitch), Math.Cos(yaw) * Math.Cos(pitch));
        }
    }

    /// <summary>The 16-point compass name of the yaw, e.g. "S", "WNW".</summary>
    public string Compass => Geometry.Compass.FromYaw(Yaw);
}

/// <summary>Compass names for the frame in MAP_LAYOUT.md (north is -z, east is +x).</summary>
public static class Compass
{
    private static readonly string[] Names =
        ["S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW", "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE"];

    /// <summary>Compass name of a yaw in degrees (0 = south, 90 = west).</summary>
    public static string FromYaw(double yawDegrees)
    {
        double normalized = ((yawDegrees % 360) + 360) % 360;
        return Names[(int)Math.Round(normalized / 22.5) % 16];
    }

    /// <summary>Compass name of a horizontal direction (dx east, dz south).</summary>
    public static string FromDirection(double dx, double dz)
    {
        if (dx == 0 && dz == 0) return "here";
        // Invert LookDirection: dx = -sin(yaw), dz = cos(yaw).
        double yaw = Math.Atan2(-dx, dz) * 180.0 / Math.PI;
        return FromYaw(yaw);
    }
}
