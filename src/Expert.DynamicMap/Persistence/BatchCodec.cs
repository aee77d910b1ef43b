using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;

namespace Expert.DynamicMap.Persistence;

/// <summary>
/// The binary form of an observation batch (MAP_LAYOUT.md, "Log"): the payload of a log record and
/// the input of the content hash that identifies a batch sent without a batch id. Little-endian;
/// strings are BinaryWriter strings (7-bit length, UTF-8).
/// </summary>
internal static class BatchCodec
{
    private const byte HasPosition = 1, HasDirection = 2;

    /// <summary>The batch's content as bytes (a view of a buffer sized for it).</summary>
    public static ReadOnlyMemory<byte> EncodeContent(ObservationBatch batch)
    {
        long estimate = 64 + batch.BlockCount * 16 + batch.Observations.Count * 128;
        using var stream = new MemoryStream((int)Math.Min(estimate, int.MaxValue / 2));
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(batch.Observations.Count);
            foreach (var observation in batch.Observations)
            {
                writer.Write(observation.AgentId);
                writer.Write(observation.Tick);
                var pose = observation.Pose;
                writer.Write(pose.X); writer.Write(pose.Y); writer.Write(pose.Z);
                writer.Write(pose.Yaw); writer.Write(pose.Pitch);
                writer.Write(observation.Palette.Count);
                foreach (var name in observation.Palette) writer.Write(name);
                writer.Write(observation.Blocks.Length);
                writer.Write(MemoryMarshal.AsBytes(observation.Blocks.AsSpan()));
                writer.Write(observation.Entities.Count);
                foreach (var entity in observation.Entities)
                {
                    writer.Write(entity.Name);
                    writer.Write(entity.X); writer.Write(entity.Y); writer.Write(entity.Z);
                    writer.Write(entity.Confidence);
                }
                writer.Write(observation.Sounds.Count);
                foreach (var sound in observation.Sounds)
                {
                    writer.Write(sound.Name);
                    writer.Write(sound.Volume);
                    byte flags = (byte)((sound.Position is null ? 0 : HasPosition) | (sound.Direction is null ? 0 : HasDirection));
                    writer.Write(flags);
                    if (sound.Position is Vec3 p) { writer.Write(p.X); writer.Write(p.Y); writer.Write(p.Z); }
                    if (sound.Direction is Vec3 d) { writer.Write(d.X); writer.Write(d.Y); writer.Write(d.Z); }
                }
            }
        }
        return stream.GetBuffer().AsMemory(0, (int)stream.Length);
    }

    public static ObservationBatch DecodeContent(BinaryReader reader, string batchId)
    {
        int count = reader.ReadInt32();
        var observations = new Observation[count];
        for (int i = 0; i < count; i++)
        {
            string agent = reader.ReadString();
            long tick = reader.ReadInt64();
            var pose = new MapPose(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadSingle(), reader.ReadSingle());
            var palette = new string[reader.ReadInt32()];
            for (int k = 0; k < palette.Length; k++) palette[k] = reader.ReadString();
            var blocks = new BlockSeen[reader.ReadInt32()];
            var bytes = MemoryMarshal.AsBytes(blocks.AsSpan());
            if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException("Truncated block array.");
            var entities = new EntitySeen[reader.ReadInt32()];
            for (int k = 0; k < entities.Length; k++)
                entities[k] = new EntitySeen(reader.ReadString(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadSingle());
            var sounds = new SoundHeard[reader.ReadInt32()];
            for (int k = 0; k < sounds.Length; k++)
            {
                string name = reader.ReadString();
                float volume = reader.ReadSingle();
                byte flags = reader.ReadByte();
                Vec3? position = (flags & HasPosition) != 0 ? new Vec3(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()) : null;
                Vec3? direction = (flags & HasDirection) != 0 ? new Vec3(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()) : null;
                sounds[k] = new SoundHeard(name, volume, position, direction);
            }
            observations[i] = new Observation(agent, tick, pose, palette, blocks, entities, sounds);
        }
        return new ObservationBatch(observations, batchId);
    }

    /// <summary>
    /// The replay key. With a batch id: "id:" + the first observation's agent and tick + the id, so two
    /// agents may use the same ids. Without: "h:" + 128 bits of SHA-256 of the encoded content.
    /// </summary>
    public static string KeyOf(ObservationBatch batch, ReadOnlyMemory<byte>? content)
    {
        if (batch.BatchId.Length > 0)
        {
            var first = batch.Observations.Count > 0 ? batch.Observations[0] : null;
            return $"id:{first?.AgentId}@{first?.Tick}:{batch.BatchId}";
        }
        return "h:" + Convert.ToHexStringLower(SHA256.HashData((content ?? EncodeContent(batch)).Span).AsSpan(0, 16));
    }
}
