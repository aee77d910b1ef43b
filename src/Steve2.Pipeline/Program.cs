// steve2: the STEVE-2 pipeline's command line. Commands are registered in Cli/.
using System.CommandLine;
using Steve2.Pipeline.Cli;

var root = new RootCommand("steve2: the STEVE-2 pipeline (world, tasks, teacher, evaluation).")
{
    WorldBenchCommand.Create(),
};
return root.Parse(args).Invoke();
