using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Knowledge;

/// <summary>
/// What the teacher's own agents have perceived this episode, and nothing else: the latest observation of
/// each agent, every block seen (latest content), the columns seen, the animals seen with their last
/// positions and the sounds heard. The teacher without experts navigates with this alone (own-memory
/// frontiers); with experts it is the same plus the dynamic map.
/// </summary>
public sealed class TeamKnowledge
{
    private readonly Dictionary<int, Observation> _latest = [];
    private readonly Dictionary<BlockPos, Block> _blocks = [];
    private readonly HashSet<(int X, int Z)> _columns = [];
    private readonly List<BlockPos> _visited = [];
    private readonly HashSet<(int X, int Z)> _viewed = [];
    private readonly Dictionary<int, SeenEntity> _entities = [];
    private int _minX = int.MinValue, _maxX = int.MaxValue, _minZ = int.MinValue, _maxZ = int.MaxValue;

    /// <summary>
    /// Learns where the world ends (an exploration stopped at its edge, ACTIONS.md): the last column inside on an axis,
    /// on the side the agent walked toward (<paramref name="sign"/> &gt; 0: the largest coordinate). Columns beyond a known
    /// edge count as seen: there is nothing to see there, so no direction or area is unseen for them.
    /// </summary>
    public void LearnEdge(char axis, int last, int sign)
    {
        if (axis == 'x') { if (sign > 0) _maxX = Math.Min(_maxX, last); else if (sign < 0) _minX = Math.Max(_minX, last); }
        else if (axis == 'z') { if (sign > 0) _maxZ = Math.Min(_maxZ, last); else if (sign < 0) _minZ = Math.Max(_minZ, last); }
    }

    /// <summary>Whether a column lies beyond an edge of the world the team has met.</summary>
    public bool BeyondEdge(int x, int z) => x > _maxX || x < _minX || z > _maxZ || z < _minZ;
    private readonly List<(int AgentId, HeardSound Sound, Vec3 Listener, int Tick)> _sounds = [];
    private int _tick;

    public IReadOnlyDictionary<int, Observation> Latest => _latest;
    public IReadOnlyDictionary<BlockPos, Block> Blocks => _blocks;
    public IReadOnlySet<(int X, int Z)> Columns => _columns;

    /// <summary>Where the agents have stood: the feet block of every observation, in order (repeats dropped).</summary>
    public IReadOnlyList<BlockPos> Visited => _visited;
    public int Tick => _tick;

    public void Add(Observation o)
    {
        _tick++;
        _latest[o.AgentId] = o;
        if (!_visited.Contains(o.Pose.Block)) _visited.Add(o.Pose.Block);
        foreach (SeenBlock b in o.VisibleBlocks)
        {
            _blocks[b.Position] = b.Block;
            _columns.Add((b.Position.X, b.Position.Z));
        }
        AddViewCone(o.Pose);
        foreach (SeenEntity e in o.VisibleEntities)
            if (e.Kind != "agent") _entities[e.Id] = e;
        foreach (HeardSound s in o.Sounds)
            _sounds.Add((o.AgentId, s, new Vec3(o.Pose.Position.X, o.Pose.Position.Y + Pose.EyeHeight, o.Pose.Position.Z), _tick));
    }

    /// <summary>An animal that was not where it was last seen is forgotten until seen again.</summary>
    public void ForgetEntity(int id) => _entities.Remove(id);

    /// <summary>Animals of a kind last seen, nearest to <paramref name="from"/> first.</summary>
    public IReadOnlyList<SeenEntity> EntitiesOfKind(string kind, Vec3 from) =>
        _entities.Values.Where(e => e.Kind == kind).OrderBy(e => e.Position.DistanceTo(from)).ToArray();

    /// <summary>The most recent sound of a source: its position when it was near, else the direction it came from.</summary>
    public (HeardSound Sound, Vec3 Listener)? LatestSound(string source)
    {
        for (int i = _sounds.Count - 1; i >= 0; i--)
            if (_sounds[i].Sound.Source == source) return (_sounds[i].Sound, _sounds[i].Listener);
        return null;
    }

    /// <summary>
    /// Own-memory frontier: for each compass direction in <see cref="Direction"/> order, how many of the 42 sample
    /// points 20..50 blocks ahead of <paramref name="from"/> (every 6 blocks ahead, every 4 to the side, 12 each
    /// way) have no column any agent has seen within one block.
    /// </summary>
    public int[] UnseenColumns(BlockPos from)
    {
        var counts = new int[8];
        foreach (Direction d in Enum.GetValues<Direction>())
        {
            var (sx, sz) = d.Step();
            double norm = sx != 0 && sz != 0 ? Math.Sqrt(0.5) : 1;
            for (int dist = 20; dist <= 50; dist += 6)
                for (int side = -12; side <= 12; side += 4)
                {
                    int x = from.X + (int)Math.Round((sx * dist - sz * side) * norm), z = from.Z + (int)Math.Round((sz * dist + sx * side) * norm);
                    if (!SeenNear(x, z)) counts[(int)d]++;
                }
        }
        return counts;
    }

    /// <summary>
    /// Own-memory view ahead: for each compass direction in <see cref="Direction"/> order, how many of the 108 sample
    /// points 40..95 blocks ahead of <paramref name="from"/> (every 5 blocks ahead, every 5 to the side, 20 each way)
    /// have no column any agent has seen or swept with its camera's view cone within one block: what walking 50 blocks
    /// that way and looking on may reveal.
    /// </summary>
    public int[] UnseenAhead(BlockPos from)
    {
        var counts = new int[8];
        foreach (Direction d in Enum.GetValues<Direction>())
        {
            var (sx, sz) = d.Step();
            double norm = sx != 0 && sz != 0 ? Math.Sqrt(0.5) : 1;
            for (int dist = 40; dist <= 95; dist += 5)
                for (int side = -20; side <= 20; side += 5)
                {
                    int x = from.X + (int)Math.Round((sx * dist - sz * side) * norm), z = from.Z + (int)Math.Round((sz * dist + sx * side) * norm);
                    if (!SeenOrViewedNear(x, z)) counts[(int)d]++;
                }
        }
        return counts;
    }

    /// <summary>
    /// Own-memory view around: for each compass direction in <see cref="Direction"/> order, how many of the 40 sample points
    /// 12..40 blocks that way (every 7 ahead, every 4 to the side, 8 each way) no agent has seen or swept with its camera
    /// within one block: what turning that way (one look) may show near the agent, beside and behind the way it walked.
    /// </summary>
    public int[] UnviewedAround(BlockPos from)
    {
        var counts = new int[8];
        foreach (Direction d in Enum.GetValues<Direction>())
        {
            var (sx, sz) = d.Step();
            double norm = sx != 0 && sz != 0 ? Math.Sqrt(0.5) : 1;
            for (int dist = 12; dist <= 40; dist += 7)
                for (int side = -8; side <= 8; side += 4)
                {
                    int x = from.X + (int)Math.Round((sx * dist - sz * side) * norm), z = from.Z + (int)Math.Round((sz * dist + sx * side) * norm);
                    if (!SeenOrViewedNear(x, z)) counts[(int)d]++;
                }
        }
        return counts;
    }

    /// <summary>The camera's horizontal field of view (degrees) and view distance (blocks) (OBSERVATIONS.md defaults).</summary>
    public const double ViewConeDegrees = 70, ViewConeDistance = 48;

    /// <summary>
    /// Columns the agent's camera swept: the horizontal cone of <see cref="ViewConeDegrees"/> around its yaw, out to
    /// <see cref="ViewConeDistance"/> (shorter when it looks down: where the lowest ray of a square image meets the
    /// ground 1.62 below the eye). The observation lists only the nearest blocks it saw (at most 512), so the far part
    /// of a view is known from the pose alone; hills and trees may hide some of it.
    /// </summary>
    private void AddViewCone(Pose pose)
    {
        double half = ViewConeDegrees / 2;
        double reach = ViewConeDistance;
        if (pose.Pitch > half) reach = Math.Min(reach, Pose.EyeHeight / Math.Tan((pose.Pitch - half) * Math.PI / 180) + 1);
        if (pose.Pitch > half + 45) reach = Math.Min(reach, 4);
        double yaw = pose.Yaw * Math.PI / 180;
        double ex = pose.Position.X, ez = pose.Position.Z;
        for (double r = 1; r <= reach; r += 1)
        {
            double step = Math.Min(0.8 / r, half * Math.PI / 180);
            for (double a = -half * Math.PI / 180; a <= half * Math.PI / 180 + 1e-9; a += step)
            {
                double dx = -Math.Sin(yaw + a), dz = Math.Cos(yaw + a);
                _viewed.Add(((int)Math.Floor(ex + dx * r), (int)Math.Floor(ez + dz * r)));
            }
        }
    }

    private bool SeenOrViewedNear(int x, int z)
    {
        if (BeyondEdge(x, z)) return true;
        for (int dx = -1; dx <= 1; dx++)
            for (int dz = -1; dz <= 1; dz++)
                if (_columns.Contains((x + dx, z + dz)) || _viewed.Contains((x + dx, z + dz))) return true;
        return false;
    }

    /// <summary>True when any agent has seen a column within one block of (x, z), or the column lies beyond a known edge of the world.</summary>
    public bool SeenNear(int x, int z)
    {
        if (BeyondEdge(x, z)) return true;
        for (int dx = -1; dx <= 1; dx++)
            for (int dz = -1; dz <= 1; dz++)
                if (_columns.Contains((x + dx, z + dz))) return true;
        return false;
    }
}
