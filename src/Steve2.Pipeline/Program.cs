// steve2: the STEVE-2 pipeline's command line. Commands are registered in Cli/.
return 0;
