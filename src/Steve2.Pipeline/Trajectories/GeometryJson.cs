using System.Text.Json;
using System.Text.Json.Serialization;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Trajectories;

/// <summary>
/// The world's geometry as the trajectory format writes it: a block <c>{"x": 1, "y": 64, "z": -2}</c>, a point
/// <c>{"x": 0.5, "y": 64, "z": -1.5}</c>, a pose <c>{"position": point, "yaw": 90, "pitch": 0}</c>; only the
/// coordinates, none of the derived properties (<c>Above</c>, <c>Block</c>, ...). Doubles round-trip exactly.
/// </summary>
internal static class GeometryJson
{
    public static IEnumerable<JsonConverter> Converters { get; } = [new BlockPosConverter(), new Vec3Converter(), new PoseConverter()];

    private sealed class BlockPosConverter : JsonConverter<BlockPos>
    {
        public override BlockPos Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var (x, y, z) = ReadXyz(ref reader);
            return new BlockPos(Whole(x), Whole(y), Whole(z));
        }

        public override void Write(Utf8JsonWriter writer, BlockPos value, JsonSerializerOptions options) => WriteXyz(writer, value.X, value.Y, value.Z);
    }

    private sealed class Vec3Converter : JsonConverter<Vec3>
    {
        public override Vec3 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var (x, y, z) = ReadXyz(ref reader);
            return new Vec3(x, y, z);
        }

        public override void Write(Utf8JsonWriter writer, Vec3 value, JsonSerializerOptions options) => WriteXyz(writer, value.X, value.Y, value.Z);
    }

    private sealed class PoseConverter : JsonConverter<Pose>
    {
        public override Pose Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a pose must be an object {position, yaw, pitch}");
            Vec3? position = null;
            double? yaw = null, pitch = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "position": position = JsonSerializer.Deserialize<Vec3>(ref reader, options); break;
                    case "yaw": yaw = reader.GetDouble(); break;
                    case "pitch": pitch = reader.GetDouble(); break;
                    default: reader.Skip(); break;
                }
            }
            return position is Vec3 p && yaw is double y && pitch is double t ? new Pose(p, y, t) : throw new JsonException("a pose needs position, yaw and pitch");
        }

        public override void Write(Utf8JsonWriter writer, Pose value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("position");
            JsonSerializer.Serialize(writer, value.Position, options);
            writer.WriteNumber("yaw", value.Yaw);
            writer.WriteNumber("pitch", value.Pitch);
            writer.WriteEndObject();
        }
    }

    /// <summary>Whole numbers are written without a fraction (<c>64</c>, not <c>64.0</c>): a block's coordinates stay integers.</summary>
    private static void WriteXyz(Utf8JsonWriter writer, double x, double y, double z)
    {
        writer.WriteStartObject();
        writer.WriteNumber("x", x);
        writer.WriteNumber("y", y);
        writer.WriteNumber("z", z);
        writer.WriteEndObject();
    }

    private static int Whole(double v) =>
        v == Math.Floor(v) && v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new JsonException($"a block coordinate must be a whole number, got {v}");

    private static (double X, double Y, double Z) ReadXyz(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a position must be an object {x, y, z}");
        double? x = null, y = null, z = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "x": x = reader.GetDouble(); break;
                case "y": y = reader.GetDouble(); break;
                case "z": z = reader.GetDouble(); break;
                default: reader.Skip(); break;
            }
        }
        return x is double a && y is double b && z is double c ? (a, b, c) : throw new JsonException("a position needs x, y and z");
    }
}
