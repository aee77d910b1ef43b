namespace Steve2.Pipeline.Student.Data;

/// <summary>
/// One teacher decision as the student learns it: its episode (task, seed), role and agent, the prompt's segments as
/// token ids (whole; budgets apply when a batch is made), the index of its image in the dataset, and the teacher's
/// answer as ids and text. <see cref="FactsJson"/> keeps the teacher's recorded facts for the validation's
/// feasibility checks only (the critic's checks need them); the model never reads them.
/// </summary>
public sealed record StudentExample(
    string Task,
    int Seed,
    string Role,
    int AgentId,
    int RoleId,
    int[] Instruction,
    int[] State,
    int[] Memory,
    int ImageIndex,
    int[] Action,
    string ActionText,
    string? FactsJson);
