// steve2: the STEVE-2 pipeline's command line; the commands are in Cli/.
return await Steve2.Pipeline.Cli.CliApp.RunAsync(args);
