// Train FL-CE (layer-wise forward learning for link prediction) on Cora_ML, score node pairs, export embeddings.
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;
using ForwardGnn.Training;

GraphDataset data = GraphDataset.Load("cora_ml");   // from $FORWARDGNN_DATA (else ./data)
EdgeSplit split = RandomLinkSplit.Generate(data.Edges, 0);   // PyG's RandomLinkSplit, drawn as PyG draws it
var config = new TrainConfig { Algo = "fl-ce", Layers = 2, Epochs = 200 };   // a short budget: the paper's is 1000 epochs
using GnnModel model = Trainer.TrainLinkPredictor(data, split, config);

// Messages pass over the edges the model may see (train ∪ val); the test pairs are held out.
GraphDataset visible = data with { Edges = split.TestGraph };
float[] probability = model.ScorePairs(visible, split.Test.Source, split.Test.Target);
Console.WriteLine($"test ROC-AUC {Metrics.RocAuc(probability, split.Test.Label):F2} (the run reported {model.Card.TrainedOn!.Test:F2})");
Console.WriteLine($"p(link {split.Test.Source[0]}–{split.Test.Target[0]}) = {probability[0]:F3}");

NodeEmbeddings z = model.Embed(visible);   // every layer's output side by side, [N, L·H]
using (var file = new StreamWriter("embeddings.csv"))
    for (int i = 0; i < z.Rows; i++) file.WriteLine(string.Join(",", z.Row(i).ToArray()));
Console.WriteLine($"embeddings.csv: {z.Rows} × {z.Columns}");
