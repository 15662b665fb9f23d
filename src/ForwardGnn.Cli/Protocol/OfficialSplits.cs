using ForwardGnn.Data;
using ForwardGnn.Data.Splits;

namespace ForwardGnn.Cli.Protocol;

/// <summary>
/// A node split as the CLI takes it: the dataset's own fixed split (Planetoid's public split, <c>--split-file</c>),
/// else the reference's split files when a data root has them
/// (<c>forwardgnn-datasplits/datasplits/&lt;dataset&gt;/node-5splits/{train,val,test}-node-index-split{i}.pt</c>),
/// else the generated split (<see cref="NodeSplits"/>; it equals the files where both exist).
/// </summary>
internal static class OfficialSplits
{
    public static NodeSplit Load(DataRoots roots, GraphDataset data, int split)
    {
        if (data.PublicSplit is null && split is >= 0 and < PaperProtocol.SplitCount)
            foreach (string root in roots.SearchOrder)
            {
                string folder = Path.Combine(root, "forwardgnn-datasplits", "datasplits", data.Name, "node-5splits");
                string File(string part) => Path.Combine(folder, $"{part}-node-index-split{split}.pt");
                if (!System.IO.File.Exists(File("train"))) continue;
                var result = new NodeSplit(split, TorchIndexFile.Read(File("train")), TorchIndexFile.Read(File("val")),
                    TorchIndexFile.Read(File("test")), folder);
                result.CheckPartition(data.NumNodes, folder);
                return result;
            }
        return NodeSplits.For(data, split);
    }
}
