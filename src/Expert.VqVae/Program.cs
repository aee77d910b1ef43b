return Expert.VqVae.Cli.CliApp.Run(args);
