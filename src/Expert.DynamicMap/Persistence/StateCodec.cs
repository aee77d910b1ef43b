using System.Runtime.InteropServices;
using Expert.DynamicMap.Agents;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Landmarks;
using Expert.DynamicMap.Sounds;
using Expert.DynamicMap.Storage;

namespace Expert.DynamicMap.Persistence;

/// <summary>
/// The full state of an episode as bytes: the body of a snapshot. Deterministic (dictionaries are
/// written sorted), so two maps are identical exactly when their encodings are equal.
/// </summary>
internal static class StateCodec
{
    private const int Version = 1;

    public static void Write(BinaryWriter w, MapState state, IEnumerable<string> replayKeys)
    {
        w.Write(Version);
        w.Write(state.Now);
        w.Write(state.Version);
        w.Write(state.BlockObservations);

        // Palette (ids 0 and 1 are fixed).
        w.Write(state.Palette.Count);
        for (int i = 2; i < state.Palette.Count; i++) w.Write(state.Palette.Names[i]);

        // Stamp clock.
        w.Write(state.Clock.Count);
        w.Write(MemoryMarshal.AsBytes(state.Clock.Ticks.AsSpan(1, state.Clock.Count)));

        // Chunks, sorted by key.
        var chunks = state.Store.Chunks.OrderBy(c => c.Key.X).ThenBy(c => c.Key.Y).ThenBy(c => c.Key.Z).ToArray();
        w.Write(chunks.Length);
        foreach (var (key, chunk) in chunks)
        {
            w.Write(key.X); w.Write(key.Y); w.Write(key.Z);
            w.Write(chunk.Known);
            w.Write(MemoryMarshal.AsBytes(chunk.Blocks.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(chunk.Stamps.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(chunk.Seen.AsSpan()));
        }

        // Agents, sorted by id; visits sorted by cell key.
        var agents = state.Agents.Ordered.ToArray();
        w.Write(agents.Length);
        foreach (var agent in agents)
        {
            w.Write(agent.Id);
            WritePose(w, agent.Pose);
            w.Write(agent.LastTick); w.Write(agent.FirstTick); w.Write(agent.Observations);
            w.Write(agent.Trail.Count);
            foreach (var p in agent.Trail) { w.Write(p.Tick); w.Write(p.X); w.Write(p.Y); w.Write(p.Z); }
            var visits = agent.Visits.OrderBy(v => v.Key).ToArray();
            w.Write(visits.Length);
            foreach (var (key, visit) in visits) { w.Write(key); w.Write(visit.Count); w.Write(visit.LastTick); }
        }

        // Landmarks in order.
        w.Write(state.Landmarks.NextId);
        w.Write(state.Landmarks.All.Count);
        foreach (var l in state.Landmarks.All)
        {
            w.Write(l.Id); w.Write(l.Kind); w.Write(l.Label is not null); if (l.Label is not null) w.Write(l.Label);
            WriteVec(w, l.Position); w.Write(l.FirstTick); w.Write(l.LastTick); w.Write(l.Sightings);
            w.Write(l.DetectionConfidence); w.Write(l.LastAgentId);
        }

        // Sounds in order.
        w.Write(state.Sounds.NextId);
        w.Write(state.Sounds.Sources.Count);
        foreach (var s in state.Sounds.Sources)
        {
            w.Write(s.Id); w.Write(s.Name); WriteVec(w, s.Position); w.Write(s.Uncertainty); w.Write(s.Located);
            w.Write(s.Direction is not null); if (s.Direction is Vec3 d) WriteVec(w, d);
            w.Write(s.Hearings); w.Write(s.BearingsUsed); w.Write(s.FirstTick); w.Write(s.LastTick); w.Write(s.LastVolume);
        }
        w.Write(state.Sounds.Groups.Count);
        foreach (var g in state.Sounds.Groups)
        {
            w.Write(g.SourceId); w.Write(g.Name); w.Write(g.Bearings.Count);
            foreach (var b in g.Bearings)
            {
                WriteVec(w, b.Origin); WriteVec(w, b.Direction); w.Write(b.Tick); w.Write(b.Volume); w.Write(b.AgentId);
            }
        }

        // Blacklist in order.
        w.Write(state.Blacklist.Entries.Count);
        foreach (var e in state.Blacklist.Entries)
        {
            w.Write(e.Cell.X); w.Write(e.Cell.Y); w.Write(e.Cell.Z); w.Write(e.Radius); w.Write(e.Reason);
            w.Write(e.AgentId is not null); if (e.AgentId is not null) w.Write(e.AgentId);
            w.Write(e.Tick);
        }

        // Replay keys, sorted.
        var keys = replayKeys.Order(StringComparer.Ordinal).ToArray();
        w.Write(keys.Length);
        foreach (var key in keys) w.Write(key);
    }

    public static (MapState State, List<string> ReplayKeys) Read(BinaryReader r, MapOptions options)
    {
        int version = r.ReadInt32();
        if (version != Version) throw new InvalidDataException($"Snapshot version {version} is not {Version}.");
        var state = new MapState(options)
        {
            Now = r.ReadInt64(),
            Version = r.ReadInt64(),
            BlockObservations = r.ReadInt64(),
        };

        int paletteCount = r.ReadInt32();
        for (int i = 2; i < paletteCount; i++) state.Palette.GetOrAdd(r.ReadString());

        int stamps = r.ReadInt32();
        var ticks = new long[stamps];
        ReadExactly(r, MemoryMarshal.AsBytes(ticks.AsSpan()));
        foreach (long tick in ticks) state.Clock.Next(tick);

        int chunkCount = r.ReadInt32();
        for (int i = 0; i < chunkCount; i++)
        {
            var key = new ChunkKey(r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
            var chunk = new Chunk { Known = r.ReadInt32() };
            ReadExactly(r, MemoryMarshal.AsBytes(chunk.Blocks.AsSpan()));
            ReadExactly(r, MemoryMarshal.AsBytes(chunk.Stamps.AsSpan()));
            ReadExactly(r, MemoryMarshal.AsBytes(chunk.Seen.AsSpan()));
            chunk.RebuildSummaries(state.Clock.Ticks);
            state.Store.Add(key, chunk);
        }

        int agentCount = r.ReadInt32();
        for (int i = 0; i < agentCount; i++)
        {
            var agent = state.Agents.GetOrAdd(r.ReadString());
            var pose = ReadPose(r);
            long lastTick = r.ReadInt64(), firstTick = r.ReadInt64();
            int observations = r.ReadInt32();
            var trail = new List<TrailPoint>(r.ReadInt32());
            for (int k = trail.Capacity; k > 0; k--) trail.Add(new TrailPoint(r.ReadInt64(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble()));
            int visitCount = r.ReadInt32();
            var visits = new List<(long, AgentTrack.Visit)>(visitCount);
            for (int k = 0; k < visitCount; k++)
                visits.Add((r.ReadInt64(), new AgentTrack.Visit { Count = r.ReadInt32(), LastTick = r.ReadInt64() }));
            agent.Restore(pose, lastTick, firstTick, observations, trail, visits);
        }

        long nextLandmark = r.ReadInt64();
        int landmarkCount = r.ReadInt32();
        var landmarks = new List<Landmark>(landmarkCount);
        for (int i = 0; i < landmarkCount; i++)
        {
            long id = r.ReadInt64();
            string kind = r.ReadString();
            string? label = r.ReadBoolean() ? r.ReadString() : null;
            landmarks.Add(new Landmark(id, kind, label, ReadVec(r), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadDouble(), r.ReadString()));
        }
        state.Landmarks.Restore(landmarks, nextLandmark);

        long nextSound = r.ReadInt64();
        int sourceCount = r.ReadInt32();
        var sources = new List<SoundSource>(sourceCount);
        for (int i = 0; i < sourceCount; i++)
        {
            long id = r.ReadInt64();
            string name = r.ReadString();
            var position = ReadVec(r);
            double uncertainty = r.ReadDouble();
            bool located = r.ReadBoolean();
            Vec3? direction = r.ReadBoolean() ? ReadVec(r) : null;
            sources.Add(new SoundSource(id, name, position, uncertainty, located, direction,
                r.ReadInt32(), r.ReadInt32(), r.ReadInt64(), r.ReadInt64(), r.ReadSingle()));
        }
        int groupCount = r.ReadInt32();
        var groups = new List<SoundTracker.BearingGroup>(groupCount);
        for (int i = 0; i < groupCount; i++)
        {
            var group = new SoundTracker.BearingGroup { SourceId = r.ReadInt64(), Name = r.ReadString() };
            int bearingCount = r.ReadInt32();
            for (int k = 0; k < bearingCount; k++)
                group.Bearings.Add(new Bearing(ReadVec(r), ReadVec(r), r.ReadInt64(), r.ReadSingle(), r.ReadString()));
            groups.Add(group);
        }
        state.Sounds.Restore(sources, groups, nextSound);

        int blacklistCount = r.ReadInt32();
        var entries = new List<BlacklistEntry>(blacklistCount);
        for (int i = 0; i < blacklistCount; i++)
        {
            var cell = new Cell(r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
            double radius = r.ReadDouble();
            string reason = r.ReadString();
            string? agent = r.ReadBoolean() ? r.ReadString() : null;
            entries.Add(new BlacklistEntry(cell, radius, reason, agent, r.ReadInt64()));
        }
        state.Blacklist.Restore(entries);

        int keyCount = r.ReadInt32();
        var keys = new List<string>(keyCount);
        for (int i = 0; i < keyCount; i++) keys.Add(r.ReadString());
        return (state, keys);
    }

    private static void ReadExactly(BinaryReader r, Span<byte> target)
    {
        if (r.BaseStream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false) != target.Length)
            throw new EndOfStreamException("Truncated snapshot.");
    }

    private static void WritePose(BinaryWriter w, MapPose p) { w.Write(p.X); w.Write(p.Y); w.Write(p.Z); w.Write(p.Yaw); w.Write(p.Pitch); }
    private static MapPose ReadPose(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadSingle(), r.ReadSingle());
    private static void WriteVec(BinaryWriter w, Vec3 v) { w.Write(v.X); w.Write(v.Y); w.Write(v.Z); }
    private static Vec3 ReadVec(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
}
