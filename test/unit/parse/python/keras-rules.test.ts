// What the rules say about subclassed Keras models and wrapped recurrent layers: exact findings where the code
// has the problem, silence where it does not.
import { DL202 } from '../../../../src/core/rules/gradients/DL202-linear-without-activation';
import { DL204 } from '../../../../src/core/rules/gradients/DL204-rnn-without-grad-clipping';
import { DL101 } from '../../../../src/core/rules/init/DL101-missing-init';
import { DL501 } from '../../../../src/core/rules/losses/DL501-softmax-before-cross-entropy';
import { DL301 } from '../../../../src/core/rules/regularization/DL301-no-dropout';
import { DL302 } from '../../../../src/core/rules/regularization/DL302-dropout-on-output';
import { DL401 } from '../../../../src/core/rules/shapes/DL401-layer-shape-mismatch';
import { testRule } from '../../rules/tester';

const HEADER = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

`;

const DEEP = `${HEADER}class Deep(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = layers.Dense(64, activation="relu")
        self.d2 = layers.Dense(64, activation="relu")
        self.d3 = layers.Dense(64, activation="relu")
        self.d4 = layers.Dense(64, activation="relu")
        self.d5 = layers.Dense(64, activation="relu")
        self.out = layers.Dense(10)

    def call(self, x):
        x = self.d1(x)
        x = self.d2(x)
        x = self.d3(x)
        x = self.d4(x)
        x = self.d5(x)
        return self.out(x)
`;

describe('rules on subclassed Keras models', () => {
  testRule(DL101, {
    valid: [
      { name: 'He init on every layer', code: DEEP.replace(/activation="relu"\)/g, 'activation="relu", kernel_initializer="he_normal")').replace('Dense(10)', 'Dense(10, kernel_initializer="he_normal")') },
      { name: 'a residual add in call()', code: DEEP.replace('x = self.d3(x)', 'x = x + self.d3(x)') },
      { name: 'a layer normalization', code: DEEP.replace('self.out = layers.Dense(10)', 'self.norm = layers.LayerNormalization()\n        self.out = layers.Dense(10)').replace('return self.out(x)', 'return self.out(self.norm(x))') },
      { name: 'a block the IR cannot see into', code: DEEP.replace('self.d3 = layers.Dense(64, activation="relu")', 'self.d3 = Block()').replace('class Deep', 'class Block(layers.Layer):\n    pass\n\n\nclass Deep') },
    ],
    invalid: [
      {
        name: 'six Dense layers with ReLU on glorot_uniform',
        code: DEEP,
        errors: [{ messageId: 'defaultInit', line: 5, column: 7, endColumn: 11, message: '6 layers with ReLU rely on the Keras default init glorot_uniform, which scales activation variance by ~1/2 per layer (~1/64 after 6 layers)' }],
        output: DEEP.replace(/activation="relu"\)/g, 'activation="relu", kernel_initializer="he_normal")').replace('Dense(10)', 'Dense(10, kernel_initializer="he_normal")'),
      },
    ],
  });

  const HEAD = `${HEADER}class Head(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(128)
        self.out = layers.Dense(10)

    def call(self, x):
        return self.out(self.hidden(x))
`;
  testRule(DL202, {
    valid: [
      { name: 'tf.nn.relu between the layers', code: HEAD.replace('self.out(self.hidden(x))', 'self.out(tf.nn.relu(self.hidden(x)))') },
      { name: 'a fused activation', code: HEAD.replace('Dense(128)', 'Dense(128, activation="gelu")') },
    ],
    invalid: [{ name: 'Dense into Dense in call()', code: HEAD, errors: [{ messageId: 'collapse', line: 9, column: 20, endColumn: 32 }], output: null }],
  });

  const LM = `${HEADER}class LM(keras.Model):
    def __init__(self):
        super().__init__()
        self.embed = layers.Embedding(5000, 64)
        self.rnn = layers.LSTM(128, return_sequences=True)
        self.out = layers.Dense(5000)

    def call(self, x):
        return self.out(self.rnn(self.embed(x)))


lm = LM()
lm.compile(optimizer=keras.optimizers.SGD(1.0), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
lm.fit(x, y, epochs=3)
`;
  const BIDIRECTIONAL = `${HEADER}model = keras.Sequential([keras.Input(shape=(None,)), layers.Embedding(1000, 32), layers.Bidirectional(layers.LSTM(32)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
model.fit(x, y)
`;
  testRule(DL204, {
    valid: [
      { name: 'a subclassed LSTM trained with Adam', code: LM.replace('SGD(1.0)', 'Adam(1e-3)') },
      { name: 'a subclassed LSTM with clipnorm', code: LM.replace('SGD(1.0)', 'SGD(1.0, clipnorm=1.0)') },
      { name: 'a Bidirectional LSTM trained with Adam', code: BIDIRECTIONAL.replace('SGD(0.1)', 'Adam(1e-3)') },
    ],
    invalid: [
      { name: 'a subclassed LSTM trained with plain SGD', code: LM, errors: [{ messageId: 'keras', line: 17, column: 22, message: 'LM is recurrent' }], output: null },
      { name: 'a Bidirectional LSTM trained with plain SGD', code: BIDIRECTIONAL, errors: [{ messageId: 'keras', line: 6, column: 25, message: 'plain SGD turns any spike' }], output: null },
    ],
  });

  const NET = `${HEADER}class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(64, activation="relu")
        self.out = layers.Dense(10)

    def call(self, x):
        return self.out(self.hidden(x))


net = Net()
net.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())
`;
  testRule(DL501, {
    valid: [
      { name: 'logits with from_logits=True', code: NET.replace('SparseCategoricalCrossentropy()', 'SparseCategoricalCrossentropy(from_logits=True)') },
      { name: 'a softmax head with from_logits=False', code: NET.replace('Dense(10)', 'Dense(10, activation="softmax")') },
      { name: 'tf.nn.softmax on the head in call()', code: NET.replace('return self.out(self.hidden(x))', 'return tf.nn.softmax(self.out(self.hidden(x)))') },
    ],
    invalid: [{ name: 'a linear head with from_logits=False', code: NET, errors: [{ messageId: 'logitsNotFromLogits', line: 16, column: 36 }], output: null }],
  });

  const WIDE = `${HEADER}class Wide(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = layers.Dense(1024, activation="relu")
        self.d2 = layers.Dense(1024, activation="relu")
        self.out = layers.Dense(10)

    def call(self, x, training=False):
        return self.out(self.d2(self.d1(x)))
`;
  testRule(DL301, {
    valid: [
      { name: 'dropout in call()', code: WIDE.replace('self.out(self.d2(self.d1(x)))', 'self.out(self.drop(self.d2(self.d1(x)), training=training))').replace('self.out = layers.Dense(10)', 'self.drop = layers.Dropout(0.5)\n        self.out = layers.Dense(10)') },
      { name: 'weight decay on the optimizer', code: `${WIDE}\n\nwide = Wide()\nwide.compile(optimizer=keras.optimizers.AdamW(1e-3), loss="mse")\n` },
    ],
    invalid: [
      {
        name: 'a wide stack without regularization',
        code: WIDE,
        errors: [{ messageId: 'none', line: 5, column: 7, message: 'A fully-connected stack of 3 layers (unknown parameters, widest 1024)' }],
        output: null,
      },
    ],
  });

  const REGRESSOR = `${HEADER}class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(32, activation="relu")
        self.out = layers.Dense(1)
        self.drop = layers.Dropout(0.3)

    def call(self, x, training=False):
        return self.drop(self.out(self.hidden(x)), training=training)
`;
  testRule(DL302, {
    valid: [
      {
        name: 'a block ending in dropout, used by a model of the file',
        code: `${REGRESSOR.replace('class Regressor(keras.Model)', 'class Block(layers.Layer)')}\n\nclass Model(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.block = Block()\n        self.head = layers.Dense(1)\n\n    def call(self, x):\n        return self.head(self.block(x))\n`,
      },
    ],
    invalid: [{ name: 'dropout on the output of a model', code: REGRESSOR, errors: [{ messageId: 'output', line: 10, column: 21, endColumn: 35 }], output: null }],
  });

  testRule(DL401, {
    valid: [
      {
        name: 'input_dim on a sublayer, which Keras ignores when it is called',
        code: `${HEADER}class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.a = layers.Dense(32, activation="relu")\n        self.b = layers.Dense(16, input_dim=8)\n\n    def call(self, x):\n        return self.b(self.a(x))\n`,
      },
    ],
    invalid: [],
  });
});
