using System.Net;
using System.Net.Sockets;
using SessionAppliance.Client;

namespace SessionAppliance.Bench;

/// <summary>Loopback ports and clients, each client on its own loopback source address.</summary>
internal static class LocalPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static NodeRpcClient ClientFor(int port, int index) =>
        new(new Uri($"https://127.0.0.1:{port}"), localAddress: new IPAddress([127, 0, (byte)(1 + index / 250), (byte)(2 + index % 250)]));
}
