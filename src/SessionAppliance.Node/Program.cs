using Microsoft.Extensions.Options;
using SessionAppliance.Node.Hosting;

try
{
    if (args.Contains("--check-config"))
    {
        NodeHost.CheckConfiguration(args.Where(a => a != "--check-config").ToArray());
        Console.WriteLine("session-appliance-node: the configuration is valid");
        return 0;
    }

    if (args.Contains("--recover-store"))
    {
        var moved = NodeHost.RecoverStore(args.Where(a => a != "--recover-store").ToArray());
        Console.WriteLine(moved.Count == 0
            ? "session-appliance-node: there is no message store to move aside"
            : "session-appliance-node: moved aside (kept for inspection): " + string.Join(", ", moved) + "; the node starts with an empty store");
        return 0;
    }

    if (args.Contains("--recover-certificate"))
    {
        var moved = NodeHost.RecoverCertificate(args.Where(a => a != "--recover-certificate").ToArray());
        Console.WriteLine(moved is null
            ? "session-appliance-node: there is no TLS certificate to move aside"
            : "session-appliance-node: moved aside (kept for inspection): " + moved + "; the node makes a new certificate at its next start");
        return 0;
    }

    var app = NodeHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException error)
{
    // An operator reads this in the journal or a terminal: say what is wrong and where, without a stack trace.
    Console.Error.WriteLine("session-appliance-node: the configuration is not valid:");
    foreach (var failure in error.Failures)
    {
        Console.Error.WriteLine("  - " + failure);
    }

    return 2;
}
catch (InvalidOperationException error) when (error.InnerException is FormatException or OverflowException)
{
    // A value of the wrong kind, e.g. Node:HttpsPort=abc; the binder's message names the key and the value.
    Console.Error.WriteLine("session-appliance-node: the configuration is not valid:");
    Console.Error.WriteLine("  - " + error.Message);
    return 2;
}
catch (Exception error) when (error is InvalidDataException or FileNotFoundException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("session-appliance-node: cannot start: " + error.Message);
    return 1;
}
