using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// A role answered by a chat model behind any OpenAI-compatible endpoint, through
/// Microsoft.Extensions.AI's <see cref="IChatClient"/>. The prompt gives the role, the output format, the
/// instruction, the state, the role's facts (as recorded, JSON), the experts' text and facts, recent memory and
/// the critic's feedback: everything the rule backend decides on, so a chat model can decide on the same; the answer's first
/// non-empty line (code fences and a leading "answer:" removed) is the role's output, which the role
/// parses and the critic checks.
/// </summary>
public sealed class ChatRoleBackend(IChatClient client, RoleBackendOptions options) : IRoleBackend
{
    public string Name => $"chat:{options.Model}";

    /// <summary>A client for an OpenAI-compatible endpoint. The SDK's own retries are off: the critic retries.</summary>
    public static IChatClient CreateClient(RoleBackendOptions options)
    {
        options.Validate("chat");
        var openAi = new OpenAIClient(new ApiKeyCredential(options.ResolveApiKey()), new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = options.Timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        return openAi.GetChatClient(options.Model).AsIChatClient();
    }

    public async Task<string> RespondAsync(RolePrompt prompt, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemText(prompt)),
            new(ChatRole.User, UserText(prompt)),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        ChatResponse response = await client.GetResponseAsync(messages, new ChatOptions { ModelId = options.Model, Temperature = options.Temperature }, timeout.Token);
        return prompt.Role == TeacherRole.Manager ? AnswerLines(response.Text) : FirstLine(response.Text);
    }

    /// <summary>The answer lines of a manager's reply (one part per agent): every non-empty line, fences and "answer:" dropped.</summary>
    public static string AnswerLines(string reply) =>
        string.Join("\n", reply.Split('\n').Where(l => !l.TrimStart().StartsWith("```", StringComparison.Ordinal)).Select(FirstLine).Where(l => l.Length > 0));

    /// <summary>The answer line of a model's reply.</summary>
    public static string FirstLine(string reply)
    {
        foreach (string raw in reply.Split('\n'))
        {
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal)) continue;
            string line = raw.Trim().Trim('`').Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("answer:", StringComparison.OrdinalIgnoreCase)) line = line[7..].Trim();
            if (line.Length > 0) return line;
        }
        return "";
    }

    private static string SystemText(RolePrompt p) => p.Role switch
    {
        TeacherRole.Manager => "You are the manager of a team of agents in a Minecraft-like voxel world. You plan centrally and give every agent its part of the task.",
        TeacherRole.Conductor => "You are a conductor in a Minecraft-like voxel world. You execute your team's part of the task by giving one agent its next immediate goal.",
        _ => "You are an actor in a Minecraft-like voxel world. You turn your agent's current goal into exactly one code action of the skill library.",
    } + "\nAnswer format: " + p.OutputFormat + "\nAnswer with the answer only, no explanation.";

    private static string UserText(RolePrompt p)
    {
        var sb = new StringBuilder();
        sb.Append("Instruction: ").AppendLine(p.Instruction);
        sb.Append("State: ").AppendLine(p.StateText);
        sb.Append("Facts: ").AppendLine(JsonSerializer.Serialize(p.Facts, TrajectoryFormat.Json));
        if (p.ExpertText is not null) sb.Append("Expert knowledge: ").AppendLine(p.ExpertText);
        if (p.Expert is not null) sb.Append("Expert facts: ").AppendLine(JsonSerializer.Serialize(p.Expert, TrajectoryFormat.Json));
        if (p.Memory.Count > 0) sb.AppendLine("Recent memory:").AppendLine(string.Join("\n", p.Memory.Select(m => "- " + m)));
        foreach (string f in p.Feedback) sb.Append("Critic: ").AppendLine(f);
        return sb.ToString();
    }
}
