using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// The pictures a multimodal chat backend is shown when its role sends images (<see cref="RoleBackendOptions.SendImages"/>):
/// the agents' latest egocentric views, and for the manager the task's target image and the experts' pictures of
/// its step (the creation expert's renders when it makes the build plan, the dynamic map's picture). Reads the
/// situation, writes nothing; the rules never see these.
/// </summary>
internal static class ChatImages
{
    /// <summary>One agent's latest view.</summary>
    public static IReadOnlyList<AgentView> View(TeacherSituation s, int agent) => [new AgentView(agent, s.Latest(agent).Image)];

    /// <summary>Every agent's latest view, by agent.</summary>
    public static IReadOnlyList<AgentView> Views(TeacherSituation s) =>
        s.Knowledge.Latest.Values.OrderBy(o => o.AgentId).Select(o => new AgentView(o.AgentId, o.Image)).ToArray();

    /// <summary>The target image (object search by image), then the experts' pictures of this step.</summary>
    public static IReadOnlyList<NamedImage> Pictures(TeacherSituation s, ExpertContext? expert)
    {
        var pictures = new List<NamedImage>();
        if (s.Goal.TargetImage is { } target) pictures.Add(new NamedImage(ChatRoleBackend.TargetPicture, PngImages.Encode(target)));
        if (expert is not null) pictures.AddRange(expert.Images);
        return pictures;
    }
}
