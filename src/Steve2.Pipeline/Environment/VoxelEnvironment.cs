using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// One episode in the embedded voxel world (backend "voxel"). Each <see cref="Step"/> runs one code action
/// for one agent (the rules are in ACTIONS.md), then advances the world one tick (animals wander and
/// make sounds), then observes (OBSERVATIONS.md). The episode owns its copy of the world: actions change
/// only it. Deterministic: the same spec and the same sequence of actions give the same outcomes.
/// </summary>
public sealed partial class VoxelEnvironment : IEnvironment
{
    private const int EpisodeStream = 7;

    private readonly VoxelWorld _world;
    private readonly VoxelEnvironmentOptions _options;
    private readonly List<AgentState> _agents = [];
    private readonly List<Animal> _animals = [];
    private readonly SplitMix64 _rng;
    private bool _disposed;

    /// <summary>Starts an episode on <paramref name="world"/>, which the episode then owns and changes (pass a clone).</summary>
    public VoxelEnvironment(EpisodeSpec spec, VoxelWorld world, VoxelEnvironmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.AgentCount is < 1 or > 8)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.AgentCount, "EpisodeSpec.AgentCount must be in 1..8.");
        Spec = spec;
        _world = world;
        _options = (options ?? new VoxelEnvironmentOptions(world.Options)).Validated();
        _rng = new SplitMix64(SplitMix64.Combine(spec.WorldSeed, EpisodeStream, spec.AgentCount));
        int animalId = 100;
        foreach (var (kind, position) in world.InitialAnimals) _animals.Add(new Animal(animalId++, kind, position));
        var spawn = spec.Spawn ?? world.Spawn;
        var taken = new HashSet<BlockPos>();
        for (int i = 0; i < spec.AgentCount; i++)
        {
            var feet = StartCell(spawn.X + 2 * i, spawn.Z, spawn.Y, taken);
            taken.Add(feet);
            _agents.Add(new AgentState(i, new Pose(new Vec3(feet.X + 0.5, feet.Y, feet.Z + 0.5), 0, 0), new Inventory(spec.StartingInventory)));
        }
        World = new VoxelWorldQuery(this);
    }

    public EpisodeSpec Spec { get; }

    public int AgentCount => _agents.Count;

    public IWorldQuery World { get; }

    /// <summary>This episode's blocks (changed by the agents' actions).</summary>
    internal VoxelWorld Blocks => _world;

    internal IReadOnlyList<AgentState> Agents => _agents;

    internal IReadOnlyList<Animal> Animals => _animals;

    internal VoxelEnvironmentOptions Options => _options;

    /// <summary>Animals and agents now (agents' entity ids are their agent ids; animals' start at 100).</summary>
    internal IReadOnlyList<SeenEntity> AllEntities()
    {
        var list = new List<SeenEntity>(_agents.Count + _animals.Count);
        foreach (var a in _agents) list.Add(new SeenEntity(a.Id, "agent", a.Pose.Position));
        foreach (var animal in _animals) list.Add(animal.AsEntity);
        return list;
    }

    public Observation Observe(int agentId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return BuildObservation(Agent(agentId));
    }

    public ActionOutcome Step(int agentId, CodeAction action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(action);
        var agent = Agent(agentId);
        var result = action switch
        {
            MoveTo m => DoMoveTo(agent, m.Target),
            Explore e => DoExplore(agent, e.Direction, e.Blocks),
            LookAt l => DoLookAt(agent, l.Yaw, l.Pitch),
            Mine m => DoMine(agent, m.Target),
            Collect c => DoCollect(agent, c.Item, c.Count),
            Craft c => DoCraft(agent, c.Item, c.Count),
            Place p => DoPlace(agent, p.Item, p.Target),
            OpenChest o => DoOpenChest(agent, o.Target),
            PlaceBox b => DoPlaceBox(agent, b.Item, b.From, b.To),
            RemoveBox r => DoRemoveBox(agent, r.From, r.To),
            Wait => new ActionResult(true, "waited one iteration"),
            DigDown d => DoDigDown(agent, d.Blocks),
            Staircase st => DoStaircase(agent, st.Direction, st.Steps),
            Tunnel t => DoTunnel(agent, t.Direction, t.Blocks),
            _ => new ActionResult(false, $"the voxel backend does not know the action {action.GetType().Name}"),
        };
        agent.Iteration++;
        Tick();
        var observation = BuildObservation(agent);
        agent.PendingSounds.Clear();
        return new ActionOutcome(result.Success, result.Message, result.Moved, result.Gained, observation);
    }

    public void Dispose() => _disposed = true;

    private AgentState Agent(int agentId)
    {
        if (agentId < 0 || agentId >= _agents.Count)
            throw new ArgumentOutOfRangeException(nameof(agentId), agentId, $"agent ids of this episode are 0..{_agents.Count - 1}");
        return _agents[agentId];
    }

    /// <summary>A standable cell at or near column (x, z) (spiral search up to 16 blocks), preferring heights near <paramref name="nearY"/>.</summary>
    private BlockPos StartCell(int x, int z, int nearY, HashSet<BlockPos> taken)
    {
        for (int r = 0; r <= 16; r++)
        for (int dx = -r; dx <= r; dx++)
        for (int dz = -r; dz <= r; dz++)
        {
            if (Math.Max(Math.Abs(dx), Math.Abs(dz)) != r) continue;
            int cx = Math.Clamp(x + dx, _world.MinX, _world.MaxX), cz = Math.Clamp(z + dz, _world.MinZ, _world.MaxZ);
            var surface = WorldGenerator.StandingPosition(_world, cx, cz);
            if (surface is { } s && !taken.Contains(s)) return s;
        }
        var fallback = WalkingRules.StandableInColumn(_world, x, z, nearY);
        return fallback ?? new BlockPos(x, _world.SurfaceHeight(x, z) + 1, z);
    }

    /// <summary>One world tick: every animal may take a step, then may make its sound.</summary>
    private void Tick()
    {
        foreach (var animal in _animals)
        {
            if (!_rng.Chance(0.3)) continue;
            var (dx, dz) = WalkingRules.SideSteps[_rng.Next(0, 4)];
            if (WalkingRules.Step(_world, animal.Feet, dx, dz, maxDrop: 1) is { } next && _world.Get(next) != Block.Water && !AgentAt(next))
                animal.Feet = next;
        }
        foreach (var animal in _animals)
        {
            if (_rng.Chance(_options.SoundChance)) EmitSound(animal.Kind, new Vec3(animal.Position.X, animal.Position.Y + 0.5, animal.Position.Z));
        }
    }

    private bool AgentAt(BlockPos cell)
    {
        foreach (var a in _agents)
            if (a.Feet == cell || a.Feet.Above == cell) return true;
        return false;
    }

    /// <summary>Delivers a sound to every agent within hearing (OBSERVATIONS.md, "Sounds").</summary>
    private void EmitSound(string source, Vec3 at)
    {
        foreach (var agent in _agents)
        {
            var eye = FirstPersonRaycaster.Eye(agent.Pose);
            var delta = new Vec3(at.X - eye.X, at.Y - eye.Y, at.Z - eye.Z);
            double d = Math.Sqrt(delta.X * delta.X + delta.Y * delta.Y + delta.Z * delta.Z);
            if (d > _options.HearingRadius) continue;
            var direction = d < 1e-9 ? new Vec3(0, 0, 0) : new Vec3(delta.X / d, delta.Y / d, delta.Z / d);
            double loudness = Math.Clamp(1 - d / _options.HearingRadius, 0, 1);
            agent.Hear(new HeardSound(source, d <= _options.NearSoundRadius ? at : null, direction, loudness));
        }
    }

    /// <summary>Agents and animals that no longer stand on anything fall to the first standable cell below.</summary>
    private void Settle()
    {
        foreach (var agent in _agents)
        {
            var feet = agent.Feet;
            if (WalkingRules.CanOccupy(_world, feet)) continue;
            for (int y = feet.Y - 1; y >= 1; y--)
            {
                if (BlockTable.IsSolid(_world.Get(feet.X, y, feet.Z))) break;
                if (WalkingRules.CanOccupy(_world, feet.X, y, feet.Z))
                {
                    agent.Pose = agent.Pose with { Position = agent.Pose.Position with { Y = y } };
                    break;
                }
            }
        }
        foreach (var animal in _animals)
        {
            if (WalkingRules.CanStand(_world, animal.Feet)) continue;
            if (WalkingRules.StandableInColumn(_world, animal.Feet.X, animal.Feet.Z, animal.Feet.Y) is { } cell && cell.Y <= animal.Feet.Y) animal.Feet = cell;
        }
    }

    /// <summary>A render of the world from any pose with the agents' renderer and view settings (task setup: target images).</summary>
    internal RenderResult RenderFrom(Pose pose) =>
        FirstPersonRaycaster.Render(_world, pose, AllEntities(), _options.ImageWidth, _options.ImageHeight, _options.FovDegrees, _options.ViewDistance);

    /// <summary>Task setup: the animal makes its sound now (heard as any sound is); false when no animal has that id.</summary>
    internal bool EmitSoundOfAnimal(int entityId)
    {
        var animal = _animals.FirstOrDefault(a => a.Id == entityId);
        if (animal is null) return false;
        EmitSound(animal.Kind, new Vec3(animal.Position.X, animal.Position.Y + 0.5, animal.Position.Z));
        return true;
    }

    /// <summary>Task setup: a new animal standing at <paramref name="feet"/> (dry ground, no agent there); its id, or null.</summary>
    internal int? PlaceAnimalForTask(string kind, BlockPos feet)
    {
        if (!WalkingRules.CanStand(_world, feet) || _world.Get(feet) == Block.Water || _world.Get(feet.Offset(0, -1, 0)) == Block.Water || AgentAt(feet)) return null;
        int id = _animals.Count == 0 ? 100 : _animals.Max(a => a.Id) + 1;
        _animals.Add(new Animal(id, kind, feet));
        return id;
    }

    internal void SetBlockForTask(BlockPos p, Block block)
    {
        _world.Set(p, block);
        Settle();
    }

    private Observation BuildObservation(AgentState agent)
    {
        var others = AllEntities().Where(e => !(e.Kind == "agent" && e.Id == agent.Id)).ToList();
        var render = FirstPersonRaycaster.Render(_world, agent.Pose, others, _options.ImageWidth, _options.ImageHeight, _options.FovDegrees, _options.ViewDistance);
        foreach (var seen in render.HitBlocks)
        {
            agent.Revealed.Add((seen.Position.X, seen.Position.Z));
            agent.Saw(seen.Position, seen.Block);
        }
        foreach (var e in render.Entities)
            if (e.Kind != "agent") agent.SeenAnimals.Add(e.Id);
        var visible = render.HitBlocks.Count > _options.MaxVisibleBlocks ? render.HitBlocks.Take(_options.MaxVisibleBlocks).ToList() : render.HitBlocks;
        return new Observation(agent.Id, agent.Iteration, agent.Pose, render.Image, visible, render.Entities, agent.PendingSounds.ToList(), agent.Inventory.Snapshot());
    }
}
